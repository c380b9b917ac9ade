package dev.resilience.spring.boot.metrics;

import dev.resilience.GuardListener;
import dev.resilience.Outcome;
import dev.resilience.WaitReason;
import dev.resilience.annotation.Fallback;
import dev.resilience.spring.GuardListenerFactory;
import dev.resilience.spring.GuardedMethod;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Records the attempts, operations and retry waits of every guarded method in a {@link MeterRegistry}:
 * <ul>
 * <li>{@code resilience.attempts} (timer; tags {@code method}, {@code breaker}, {@code outcome} = success, failure,
 * rejected, ignored, cancelled): one sample per call of the method's body, or per rejection by its breaker. This is
 * the real traffic the dependency saw.</li>
 * <li>{@code resilience.operations} (timer; tags {@code method}, {@code breaker}, {@code outcome} = success,
 * failure, rejected, cancelled, {@code retried} = true, false): one sample per call of the annotated method, as its
 * caller sees it, waits included.</li>
 * <li>{@code resilience.retry.waits} (timer; tags {@code method}, {@code breaker}, {@code reason} = backoff,
 * pushback): one sample per wait between two attempts, its length as asked of the clock.</li>
 * <li>{@code resilience.fallbacks} (counter; tags {@code method}, {@code breaker}, {@code outcome} = success,
 * failure): one per run of the method's fallback, by what the fallback itself did.</li>
 * <li>{@code resilience.retry.budget.denied} (counter; tags {@code method}, {@code breaker}): retries that the
 * dependency's retry budget refused; a method without a breaker has no budget.</li>
 * </ul>
 * The series a method can have exist from startup: {@code rejected} attempts only with a breaker (an operation can
 * be rejected by an inner breaker without one), {@code cancelled} only for an asynchronous method.
 * Each method's meters are registered when its listener is created, which the starter does once every singleton
 * exists (a lazy bean's method at its first call), so every series of a method exists, at zero, before its first
 * sample, and recording a call looks nothing up and allocates nothing beyond Micrometer itself.
 * Tag values come only from the method's name, its breaker's name and fixed sets: never from a failure or an
 * argument. Thread-safe.
 */
public final class GuardMetrics implements GuardListenerFactory {

    static final String ATTEMPTS = "resilience.attempts";
    static final String OPERATIONS = "resilience.operations";
    static final String RETRY_WAITS = "resilience.retry.waits";
    static final String BUDGET_DENIED = "resilience.retry.budget.denied";
    static final String FALLBACKS = "resilience.fallbacks";

    private final MeterRegistry registry;
    private final BreakerMetrics breakers;

    /**
     * Creates the factory.
     *
     * @param registry where the meters are registered
     */
    public GuardMetrics(MeterRegistry registry) {
        this(registry, null);
    }

    /**
     * Creates the factory, which also makes sure the breaker of each method it sees has its meters (a breaker
     * added after startup, by a lazily created bean, gets them this way).
     *
     * @param registry where the meters are registered
     * @param breakers binds the meters of a method's breaker; {@code null} for none
     */
    public GuardMetrics(MeterRegistry registry, BreakerMetrics breakers) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.breakers = breakers;
    }

    /**
     * Registers the meters of one method and returns the listener that records into them.
     *
     * @param method the guarded method
     * @return its listener
     */
    @Override
    public GuardListener create(GuardedMethod method) {
        if (breakers != null && !GuardedMethod.NO_BREAKER.equals(method.breakerTag())) {
            breakers.bind(method.breakerTag());
        }
        boolean async = CompletionStage.class.isAssignableFrom(method.method().getReturnType());
        boolean fallback = method.method().isAnnotationPresent(Fallback.class);
        return new MethodMeters(registry, method.methodTag(), method.breakerTag(), async, fallback);
    }

    /** The meters of one guarded method, resolved once. */
    static final class MethodMeters implements GuardListener {

        private static final Outcome[] OUTCOMES = Outcome.values();

        private final MeterRegistry registry;
        private final String method;
        private final String breaker;
        /** By {@code Outcome.ordinal()}; a slot an outcome of this method cannot have stays empty until used. */
        private final Timer[] attempts = new Timer[OUTCOMES.length];
        /** By {@code 2 * Outcome.ordinal() + (retried ? 1 : 0)}. */
        private final Timer[] operations = new Timer[2 * OUTCOMES.length];
        private final Timer[] retryWaits = new Timer[WaitReason.values().length];
        private final Counter budgetDenied;
        private final Counter[] fallbacks = new Counter[2];

        MethodMeters(MeterRegistry registry, String method, String breaker, boolean async, boolean fallback) {
            this.registry = registry;
            this.method = method;
            this.breaker = breaker;
            boolean hasBreaker = !GuardedMethod.NO_BREAKER.equals(breaker);
            for (Outcome outcome : OUTCOMES) {
                if (outcome == Outcome.CANCELLED && !async) {
                    continue; // only the caller of an asynchronous method can cancel it
                }
                if (outcome != Outcome.REJECTED || hasBreaker) {
                    attempts[outcome.ordinal()] = attemptTimer(outcome);
                }
                if (outcome != Outcome.IGNORED) { // an inner breaker's rejection ends any operation as rejected
                    operations[2 * outcome.ordinal()] = operationTimer(outcome, false);
                    operations[2 * outcome.ordinal() + 1] = operationTimer(outcome, true);
                }
            }
            for (WaitReason reason : WaitReason.values()) {
                retryWaits[reason.ordinal()] = Timer.builder(RETRY_WAITS)
                        .description("Waits between two attempts of a guarded method, as asked of the clock: the"
                                + " retry's backoff, or the server's pushback")
                        .tags("method", method, "breaker", breaker, "reason", reason.tag())
                        .register(registry);
            }
            if (fallback) {
                fallbacks[0] = fallbackCounter(Outcome.SUCCESS);
                fallbacks[1] = fallbackCounter(Outcome.FAILURE);
            }
            budgetDenied = hasBreaker ? Counter.builder(BUDGET_DENIED)
                    .description("Retries of a guarded method that its dependency's retry budget refused")
                    .tags("method", method, "breaker", breaker)
                    .register(registry) : null;
        }

        @Override
        public void onAttempt(int attempt, Outcome outcome, long nanos, Throwable failure) {
            Timer timer = attempts[outcome.ordinal()];
            if (timer == null) {
                timer = attemptTimer(outcome); // not expected for this method: registered on first use
                attempts[outcome.ordinal()] = timer;
            }
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void onRetryWait(int nextAttempt, long waitNanos, WaitReason reason) {
            retryWaits[reason.ordinal()].record(waitNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void onFallback(Outcome outcome) {
            int slot = outcome == Outcome.SUCCESS ? 0 : 1;
            Counter counter = fallbacks[slot];
            if (counter == null) {
                counter = fallbackCounter(outcome); // a fallback passed by hand: registered on first use
                fallbacks[slot] = counter;
            }
            counter.increment();
        }

        private Counter fallbackCounter(Outcome outcome) {
            return Counter.builder(FALLBACKS)
                    .description("Runs of a guarded method's fallback, by what the fallback itself did")
                    .tags("method", method, "breaker", breaker, "outcome", outcome.tag())
                    .register(registry);
        }

        @Override
        public void onRetryDenied(int nextAttempt) {
            if (budgetDenied != null) {
                budgetDenied.increment();
            }
        }

        @Override
        public void onOperation(Outcome outcome, int attempts, boolean retried, long nanos, Throwable failure) {
            // An operation is never IGNORED (the guard reports the caller's failure); count one as a failure.
            Outcome seen = outcome == Outcome.IGNORED ? Outcome.FAILURE : outcome;
            int slot = 2 * seen.ordinal() + (retried ? 1 : 0);
            Timer timer = operations[slot];
            if (timer == null) {
                timer = operationTimer(seen, retried); // not expected for this method: registered on first use
                operations[slot] = timer;
            }
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }

        private Timer attemptTimer(Outcome outcome) {
            return Timer.builder(ATTEMPTS)
                    .description("Attempts of a guarded method: every call of its body, or its rejection by the"
                            + " breaker")
                    .tags("method", method, "breaker", breaker, "outcome", outcome.tag())
                    .register(registry);
        }

        private Timer operationTimer(Outcome outcome, boolean retried) {
            return Timer.builder(OPERATIONS)
                    .description("Calls of a guarded method as its caller sees them, retries and waits included")
                    .tags("method", method, "breaker", breaker, "outcome", outcome.tag(), "retried",
                            Boolean.toString(retried))
                    .register(registry);
        }
    }
}
