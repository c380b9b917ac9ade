package dev.resilience.spring.reactive;

import dev.resilience.Fallback;
import dev.resilience.Guard;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.util.ClassUtils;

/**
 * How a call of a method that returns a Reactor {@code Mono} or {@code Flux}, or a Kotlin {@code Flow}, runs through
 * its {@link Guard}. The method is called once, when the caller calls it; what the caller gets back is a publisher of
 * the same kind, <b>each subscription to which is one operation of the guard, and each attempt one subscription to the
 * method's publisher</b>: a retry subscribes to it again, as Reactor's {@code retryWhen} does, so a {@code WebClient}
 * request is sent again. The decisions (the permit, the retry's wait, the budget, the pushback, what is recorded)
 * stay the guard's, through {@link dev.resilience.Attempts}; this package only signals.
 *
 * <ul>
 * <li>An attempt asks the breaker for a permit when it is subscribed to; a rejection is {@code onError} with the
 * {@code BreakerOpenException}, and the method's publisher is then not subscribed to.</li>
 * <li>A {@code Mono} attempt succeeds with its value or its completion; a {@code Flux} attempt with its completion.
 * Its duration runs to its first element or its end. A {@code Flux} attempt that has emitted is committed: its
 * failure is recorded and goes to the subscriber, never retried, and gets no fallback.</li>
 * <li>A subscriber that cancels before the attempt ended makes it {@code cancelled}: neither a success nor a failure
 * for the breaker, whose probe slot it used. A {@code Flux} cancelled after its first element is a success.</li>
 * <li>A method that throws or returns {@code null} gives a failed first attempt, signalled by the publisher returned;
 * a retry calls the method again.</li>
 * <li>Waits between attempts are scheduled on the guard's {@link dev.resilience.TimeSource}: no thread blocks. Every
 * attempt sees the subscriber's Reactor {@code Context}.</li>
 * </ul>
 *
 * <p>Used by the starter only where Reactor is on the classpath. Immutable and thread-safe.
 */
public final class ReactiveCalls {

    private static final String FLOW = "kotlinx.coroutines.flow.Flow";

    private final boolean flux;
    private final ReactiveAdapter adapter;

    private ReactiveCalls(boolean flux, ReactiveAdapter adapter) {
        this.flux = flux;
        this.adapter = adapter;
    }

    /** @return the calls of a method that returns {@code Mono}, a Kotlin {@code suspend} function's included */
    public static ReactiveCalls mono() {
        return new ReactiveCalls(false, null);
    }

    /** @return the calls of a method that returns {@code Flux}, a {@code suspend} function returning a Flow's included */
    public static ReactiveCalls flux() {
        return new ReactiveCalls(true, null);
    }

    /**
     * The calls of a Kotlin function that returns {@code kotlinx.coroutines.flow.Flow} (not {@code suspend}): guarded
     * as a {@code Flux}, through Spring's adapter of {@code Flow}.
     *
     * @return the calls
     * @throws IllegalStateException when Spring has no adapter of {@code Flow}: {@code kotlinx-coroutines-reactor} is
     *     missing
     */
    public static ReactiveCalls flow() {
        ClassLoader loader = ReactiveCalls.class.getClassLoader();
        ReactiveAdapter adapter = !ClassUtils.isPresent(FLOW, loader) ? null
                : ReactiveAdapterRegistry.getSharedInstance().getAdapter(ClassUtils.resolveClassName(FLOW, loader));
        if (adapter == null || !adapter.getReactiveType().getName().equals(FLOW)) {
            throw new IllegalStateException("Spring's ReactiveAdapterRegistry has no adapter of " + FLOW
                    + ": add org.jetbrains.kotlinx:kotlinx-coroutines-reactor to the classpath");
        }
        return new ReactiveCalls(true, adapter);
    }

    /**
     * Guards one call of the method.
     *
     * @param guard the method's guard
     * @param returned what the call returned: the method's publisher (a {@code Flow} for {@link #flow()}), or
     *     {@code null}
     * @param thrown what the call threw instead, or {@code null}
     * @param callAgain calls the method again, for a retry after a call that threw or returned {@code null}
     * @param fallback answers with a publisher of the same kind when the operation fails; {@code null} for none
     * @return the guarded {@code Mono}, {@code Flux} or {@code Flow}
     */
    public Object call(Guard guard, Object returned, Throwable thrown, Callable<?> callAgain,
            Fallback<?> fallback) {
        Objects.requireNonNull(guard, "guard");
        GuardedCall<Object> call = new GuardedCall<>(guard, returned, thrown, callAgain, fallback, adapter, flux);
        if (!flux) {
            return new GuardedMono<>(call);
        }
        GuardedFlux<Object> guarded = new GuardedFlux<>(call);
        return adapter == null ? guarded : adapter.fromPublisher(guarded);
    }

    @Override
    public String toString() {
        return adapter != null ? "ReactiveCalls[Flow]" : flux ? "ReactiveCalls[Flux]" : "ReactiveCalls[Mono]";
    }
}
