package dev.resilience.spring.boot.observation;

import dev.resilience.GuardListener;
import dev.resilience.Outcome;
import dev.resilience.spring.GuardListenerFactory;
import dev.resilience.spring.GuardedMethod;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Adds what the guard knows to the {@code resilience.guarded.call} observation of the current call: an event named
 * {@code retry} before each retry (its contextual name says which attempt failed, with what type of failure, and
 * how long the wait is), and the operation's outcome and number of attempts. It acts only where that observation is
 * current, which holds for synchronous methods. A method returning a {@code CompletionStage} gets no listener: its
 * attempts after the first end on other threads, where another call's observation may be current, so its
 * observation takes its outcome from the stage instead, without retry events. Thread-safe.
 */
public final class ObservationGuardListeners implements GuardListenerFactory {

    private final Supplier<ObservationRegistry> registry;

    /**
     * Creates the factory.
     *
     * @param registry supplies the observation registry, read when a guard first reports
     */
    public ObservationGuardListeners(Supplier<ObservationRegistry> registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public GuardListener create(GuardedMethod method) {
        if (CompletionStage.class.isAssignableFrom(method.method().getReturnType())) {
            return GuardListener.NONE;
        }
        return new OperationEvents(registry, method.methodTag());
    }

    private record OperationEvents(Supplier<ObservationRegistry> registry, String method) implements GuardListener {

        @Override
        public void onAttempt(int attempt, Outcome outcome, long nanos, Throwable failure) {
            OperationContext context = current();
            if (context != null && failure != null) {
                context.lastFailure(outcome, failure.getClass()); // formatted only if a retry follows
            }
        }

        @Override
        public void onRetryWait(int nextAttempt, long waitNanos) {
            Observation observation = registry.get().getCurrentObservation();
            OperationContext context = ours(observation);
            if (context != null) {
                String name = String.format(Locale.ROOT, "attempt %d failed (%s, %s); attempt %d in %.1f ms",
                        nextAttempt - 1, tag(context.lastOutcome()), name(context.lastFailure()), nextAttempt,
                        waitNanos / 1e6);
                observation.event(Observation.Event.of(ResilienceObservation.RETRY_EVENT, name));
            }
        }

        @Override
        public void onOperation(Outcome outcome, int attempts, boolean retried, long nanos, Throwable failure) {
            OperationContext context = current();
            if (context != null) {
                context.outcome(outcome == Outcome.IGNORED ? Outcome.FAILURE.tag() : outcome.tag());
                context.attempts(attempts);
            }
        }

        private static String tag(Outcome outcome) {
            return outcome == null ? "unknown" : outcome.tag();
        }

        private static String name(Class<?> failure) {
            return failure == null ? "unknown" : failure.getName();
        }

        private OperationContext current() {
            return ours(registry.get().getCurrentObservation());
        }

        private OperationContext ours(Observation observation) {
            if (observation != null && observation.getContext() instanceof OperationContext context
                    && context.method().equals(method) && context.outcome() == null) {
                return context;
            }
            return null;
        }
    }
}
