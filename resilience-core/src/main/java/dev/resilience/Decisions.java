package dev.resilience;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * What a {@link Guard} decides and reports after each step of an operation, whoever runs the attempts (a call on
 * the caller's thread, {@link AsyncOperation} for stages, {@link Attempts} for an adapter): the one place where
 * the breaker, the retry policy, the pushback, the budget and the fallback's rule meet. Immutable and thread-safe.
 */
final class Decisions {

    private static final System.Logger LOG = System.getLogger(Guard.class.getName());

    private final String name;
    private final RetryPolicy retry;
    private final CircuitBreaker breaker;
    private final RetryBudget budget;
    private final TimeSource time;
    private final DoubleSupplier random;
    private final List<Class<? extends Throwable>> neverCounted;
    private final Pushback pushback;
    private final FallbackRule fallbackRule;

    Decisions(String name, RetryPolicy retry, CircuitBreaker breaker, RetryBudget budget, TimeSource time,
            DoubleSupplier random, List<Class<? extends Throwable>> neverCounted, Pushback pushback,
            FallbackRule fallbackRule) {
        this.name = name;
        this.retry = retry;
        this.breaker = breaker;
        this.budget = budget;
        this.time = time;
        this.random = random;
        this.neverCounted = neverCounted;
        this.pushback = pushback;
        this.fallbackRule = fallbackRule;
    }

    String name() {
        return name;
    }

    CircuitBreaker breaker() {
        return breaker;
    }

    /**
     * Records a failed attempt and decides what follows. A failure that tells nothing about the dependency (see
     * {@code Uncounted}) is neither counted nor retried: it ends the operation at once.
     *
     * @param attemptNanos how long the attempt ran
     * @param uncounted whether the caller already knows the failure is not the dependency's (the thread is
     *     interrupted, or the body broke its own contract)
     * @param committed whether the attempt may not be retried whatever its failure (a stream that emitted)
     * @return the wait before the next attempt, zero or more
     * @throws Throwable the failure itself when it ends the operation, or a rejection when the breaker already
     *     rejects the attempt that would follow
     */
    long afterFailure(GuardListener listener, int attempt, long permit, Throwable failure, long start,
            long attemptNanos, long now, boolean uncounted, boolean committed) {
        long nanos = attemptNanos;
        if (uncounted || Uncounted.matches(failure, neverCounted)) {
            if (breaker != null) {
                breaker.onIgnored(permit);
            }
            attempt(listener, attempt, Outcome.IGNORED, nanos, failure);
            Outcome outcome = Uncounted.innerRejection(failure) ? Outcome.REJECTED : Outcome.FAILURE;
            ended(listener, outcome, attempt, start, now, failure);
            throw Guard.sneaky(failure);
        }
        Outcome outcome = breaker == null ? Outcome.FAILURE : breaker.onFailure(permit, nanos, failure);
        attempt(listener, attempt, outcome, nanos, failure);
        if (committed || attempt >= retry.maxAttempts() || !retry.retries(failure)) {
            ended(listener, Outcome.FAILURE, attempt, start, now, failure);
            throw Guard.sneaky(failure);
        }
        long pushed = pushedBack(failure);
        WaitReason reason = pushed >= 0 ? WaitReason.PUSHBACK : WaitReason.BACKOFF;
        long wait = pushed >= 0 ? pushed : retry.waitNanos(attempt, random.getAsDouble());
        if (pushed > retry.maxDelayNanos() || now - start + wait > retry.maxDurationNanos()
                || now - start + wait < 0) {
            ended(listener, Outcome.FAILURE, attempt, start, now, failure);
            throw Guard.sneaky(failure);
        }
        BreakerOpenException rejection = breaker == null ? null : breaker.rejection(failure);
        if (rejection != null) {
            throw rejected(listener, attempt + 1, start, rejection);
        }
        if (budget != null && !budget.tryRetry(now)) {
            try {
                listener.onRetryDenied(attempt + 1);
            } catch (Throwable broken) {
                listenerFailed(broken);
            }
            ended(listener, Outcome.FAILURE, attempt, start, now, failure);
            throw Guard.sneaky(failure);
        }
        try {
            listener.onRetryWait(attempt + 1, wait, reason);
        } catch (Throwable broken) {
            listenerFailed(broken);
        }
        return wait;
    }

    /** The server's delay for this failure in nanoseconds, or -1 when it gives none. */
    private long pushedBack(Throwable failure) {
        if (pushback == Pushback.NONE) {
            return -1;
        }
        try {
            java.util.Optional<java.time.Duration> delay = pushback.delay(failure);
            if (delay == null || delay.isEmpty() || delay.get().isNegative()) {
                return -1;
            }
            return Durations.saturatedNanos(delay.get());
        } catch (RuntimeException broken) {
            LOG.log(Level.WARNING, "The pushback of '" + name + "' failed; the retry waits its own backoff", broken);
            return -1;
        }
    }

    /** Counts a first attempt that the breaker admitted in the dependency's retry budget. */
    void firstAttempt(long now) {
        if (budget != null) {
            budget.firstAttempt(now);
        }
    }

    void succeeded(GuardListener listener, int attempt, long permit, long start, long attemptNanos, long now) {
        if (breaker != null) {
            breaker.onSuccess(permit, attemptNanos);
        }
        attempt(listener, attempt, Outcome.SUCCESS, attemptNanos, null);
        try {
            listener.onOperation(Outcome.SUCCESS, attempt, attempt > 1, now - start, null);
        } catch (Throwable broken) {
            listenerFailed(broken);
        }
    }

    /** Reports a rejected attempt; an operation rejected at its first attempt took no time and reads no clock. */
    BreakerOpenException rejected(GuardListener listener, int attempt, long start,
            BreakerOpenException rejection) {
        attempt(listener, attempt, Outcome.REJECTED, 0, rejection);
        long nanos = attempt == 1 ? 0 : time.nanoTime() - start;
        try {
            listener.onOperation(Outcome.REJECTED, attempt, attempt > 1, nanos, rejection);
        } catch (Throwable broken) {
            listenerFailed(broken);
        }
        return rejection;
    }

    /** Reports the end of an operation that did not succeed. */
    void ended(GuardListener listener, Outcome outcome, int attempts, long start, long now, Throwable failure) {
        try {
            listener.onOperation(outcome, attempts, attempts > 1, now - start, failure);
        } catch (Throwable broken) {
            listenerFailed(broken);
        }
    }

    void attempt(GuardListener listener, int attempt, Outcome outcome, long nanos, Throwable failure) {
        try {
            listener.onAttempt(attempt, outcome, nanos, failure);
        } catch (Throwable broken) {
            listenerFailed(broken);
        }
    }

    /** Reports a fallback that failed, and returns what it threw with the operation's failure suppressed in it. */
    Throwable fallbackFailed(GuardListener listener, Throwable thrown, Throwable failure) {
        fellBack(listener, Outcome.FAILURE);
        if (thrown != failure) {
            thrown.addSuppressed(failure);
        }
        return thrown;
    }

    void fellBack(GuardListener listener, Outcome outcome) {
        try {
            listener.onFallback(outcome);
        } catch (Throwable broken) {
            listenerFailed(broken);
        }
    }

    FallbackRule fallbackRule() {
        return fallbackRule;
    }

    void listenerFailed(Throwable broken) {
        if (broken instanceof VirtualMachineError fatal) {
            throw fatal;
        }
        LOG.log(Level.WARNING, "The listener of '" + name + "' failed; the call goes on", broken);
    }

    TimeSource time() {
        return time;
    }
}
