package dev.resilience.spring.reactive;

import dev.resilience.Fallback;
import dev.resilience.Guard;
import java.util.concurrent.Callable;
import org.reactivestreams.Publisher;
import org.springframework.core.ReactiveAdapter;

/**
 * One call of a reactive method, shared by every subscription to what it returned: the guard, what the call gave
 * (its publisher, or what it threw), how to call the method again, and the fallback. Immutable.
 */
final class GuardedCall<T> {

    final Guard guard;
    final boolean flux;
    private final Object returned;
    private final Throwable thrown;
    private final Callable<?> callAgain;
    private final Fallback<?> fallback;
    private final ReactiveAdapter adapter;

    GuardedCall(Guard guard, Object returned, Throwable thrown, Callable<?> callAgain, Fallback<?> fallback,
            ReactiveAdapter adapter, boolean flux) {
        this.guard = guard;
        this.returned = returned;
        this.thrown = thrown;
        this.callAgain = callAgain;
        this.fallback = fallback;
        this.adapter = adapter;
        this.flux = flux;
    }

    /** The publisher of the first attempt: what the call returned, or its failure thrown again. */
    Publisher<T> first() throws Throwable {
        if (thrown != null) {
            throw thrown;
        }
        return publisher(returned, "attempt 1");
    }

    /** The publisher of a retry after a call that threw or returned null: the method called again. */
    Publisher<T> again(int attempt) throws Exception {
        if (callAgain == null) {
            throw new IllegalStateException(guard.name() + " cannot be called again for attempt " + attempt);
        }
        return publisher(callAgain.call(), "attempt " + attempt);
    }

    boolean hasFallback() {
        return fallback != null;
    }

    /** The fallback's publisher, for the failure its rule admitted. */
    Publisher<T> fallback(Throwable admitted) throws Exception {
        return publisher(fallback.apply(admitted), "its fallback");
    }

    @SuppressWarnings("unchecked")
    private Publisher<T> publisher(Object value, String when) {
        if (value == null) {
            String kind = adapter != null ? "Flow" : flux ? "Flux" : "Mono";
            throw new NullPointerException(guard.name() + " returned null instead of a " + kind + " at " + when
                    + "; return " + (adapter != null ? "emptyFlow()" : kind + ".empty()") + " for no value");
        }
        return adapter != null ? (Publisher<T>) adapter.toPublisher(value) : (Publisher<T>) value;
    }
}
