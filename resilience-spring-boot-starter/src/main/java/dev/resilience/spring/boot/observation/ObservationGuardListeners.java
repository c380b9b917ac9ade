package dev.resilience.spring.boot.observation;

import dev.resilience.GuardListener;
import dev.resilience.Outcome;
import dev.resilience.WaitReason;
import dev.resilience.spring.GuardListenerFactory;
import dev.resilience.spring.GuardedMethod;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Adds what the guard knows to the {@code resilience.guarded.call} observation of the current call: an event named
 * {@code retry} before each retry (its contextual name says which attempt failed, with what type of failure, and
 * how long the wait is), and the operation's outcome and number of attempts. Each operation is bound, on its
 * caller's thread when it starts, to the observation current there, so a method returning a
 * {@code CompletionStage}, whose later attempts end on other threads, gets its retry events too. An operation that
 * starts with no observation of its method current is not heard. Thread-safe.
 */
public final class ObservationGuardListeners implements GuardListenerFactory {

    private final Supplier<ObservationRegistry> registry;

    /**
     * Creates the factory.
     *
     * @param registry supplies the observation registry, read when an operation starts
     */
    public ObservationGuardListeners(Supplier<ObservationRegistry> registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public GuardListener create(GuardedMethod method) {
        return new OperationBinder(registry, method.methodTag());
    }

    /** Binds each operation of one method to the observation current when it starts. */
    private record OperationBinder(Supplier<ObservationRegistry> registry, String method) implements GuardListener {

        @Override
        public GuardListener onOperationStart() {
            Observation observation = registry.get().getCurrentObservation();
            if (observation != null && observation.getContext() instanceof OperationContext context
                    && context.method().equals(method) && context.outcome() == null) {
                return new OperationEvents(observation, context);
            }
            return GuardListener.NONE;
        }
    }

    /** Hears one operation, on whichever thread its attempts end. */
    private record OperationEvents(Observation observation, OperationContext context) implements GuardListener {

        @Override
        public void onAttempt(int attempt, Outcome outcome, long nanos, Throwable failure) {
            if (failure != null) {
                context.lastFailure(outcome, failure.getClass()); // formatted only if a retry follows
            }
        }

        @Override
        public void onRetryWait(int nextAttempt, long waitNanos, WaitReason reason) {
            String name = String.format(Locale.ROOT, "attempt %d failed (%s, %s); attempt %d in %.1f ms%s",
                    nextAttempt - 1, tag(context.lastOutcome()), name(context.lastFailure()), nextAttempt,
                    waitNanos / 1e6, reason == WaitReason.PUSHBACK ? ", as the server asked" : "");
            observation.event(Observation.Event.of(ResilienceObservationDocumentation.Events.RETRY.getName(), name));
        }

        @Override
        public void onFallback(Outcome outcome) {
            observation.event(Observation.Event.of(ResilienceObservationDocumentation.Events.FALLBACK.getName(),
                    "the operation failed; its fallback " + (outcome == Outcome.SUCCESS ? "answered" : "failed")));
        }

        @Override
        public void onOperation(Outcome outcome, int attempts, boolean retried, long nanos, Throwable failure) {
            context.outcome(outcome == Outcome.IGNORED ? Outcome.FAILURE.tag() : outcome.tag());
            context.attempts(attempts);
        }

        private static String tag(Outcome outcome) {
            return outcome == null ? "unknown" : outcome.tag();
        }

        private static String name(Class<?> failure) {
            return failure == null ? "unknown" : failure.getName();
        }
    }
}
