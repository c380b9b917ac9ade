package dev.resilience;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * One operation's composition of a fallback, a retry policy and a circuit breaker, and the only place where they
 * meet: <b>the fallback wraps the retry, which wraps the breaker, so every attempt passes the breaker's gate and is
 * recorded by it, and the fallback answers once, after the last attempt.</b>
 *
 * <p>Each attempt asks the breaker for a permit, runs the body, and reports its outcome to the breaker; the breaker
 * therefore counts every call that reaches the dependency, and a threshold of 5 means 5 real calls. A rejection
 * ({@link BreakerOpenException}) is never retried, and when a failed attempt would be retried while the breaker
 * already rejects, the operation fails at once with the rejection (the failure as its cause) instead of waiting
 * for an attempt that cannot be made. When the attempts run out or a failure is not retried, the caller gets the
 * last failure itself.
 *
 * <p>Never retried and never counted by the breaker, whatever the retry policy says: an {@link Error}, an interrupt
 * (an {@link InterruptedException} in the cause chain, or the calling thread interrupted when the attempt ends; the
 * interrupt status is set again before the caller gets the failure), an inner breaker's rejection (a
 * {@link BreakerOpenException} in the cause chain), and the builder's {@code neverCounted} failures. Each ends the
 * operation at once as {@code ignored} for the breaker; the operation is a failure, or a rejection for an inner
 * rejection. A rejection met at a later attempt has the previous attempt's failure as its cause.
 *
 * <p>The breaker is optional (a retry alone), and so is the retry ({@link RetryPolicy#none()}: a breaker alone).
 * A guard is immutable and thread-safe; a breaker may be shared by many guards.
 */
public final class Guard {

    private static final DoubleSupplier THREAD_LOCAL_RANDOM = () -> ThreadLocalRandom.current().nextDouble();

    private final String name;
    private final RetryPolicy retry;
    private final CircuitBreaker breaker;
    private final RetryBudget budget;
    private final GuardListener listener;
    private final TimeSource time;
    private final Decisions decisions;

    private Guard(Builder b) {
        name = Objects.requireNonNull(b.name, "name");
        retry = Objects.requireNonNull(b.retry, "retry");
        breaker = b.breaker;
        budget = b.budget;
        listener = Objects.requireNonNull(b.listener, "listener");
        time = Objects.requireNonNull(b.time, "time");
        decisions = new Decisions(name, retry, breaker, budget, time, Objects.requireNonNull(b.random, "random"),
                List.copyOf(b.neverCounted), Objects.requireNonNull(b.pushback, "pushback"),
                Objects.requireNonNull(b.fallbackRule, "fallbackRule"));
    }

    /**
     * Starts a guard with no retry and no breaker.
     *
     * @param name the operation's name, as in the {@code method} metric tag ({@code PaymentClient.charge})
     * @return a new builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** @return the operation's name */
    public String name() {
        return name;
    }

    /** @return the retry policy; {@link RetryPolicy#none()} when there is none */
    public RetryPolicy retryPolicy() {
        return retry;
    }

    /** @return the breaker, or {@code null} when there is none */
    public CircuitBreaker breaker() {
        return breaker;
    }

    /** @return the retry budget of the breaker's dependency, or {@code null} when there is none */
    public RetryBudget budget() {
        return budget;
    }

    /**
     * Runs the body under the retry and the breaker, on the calling thread, sleeping between attempts.
     *
     * @param body the call to the dependency; it may run several times
     * @param <T> the result type
     * @return what the body returned
     * @throws BreakerOpenException when the breaker rejected the call
     * @throws Exception the body's last failure, as it threw it; if the thread is interrupted while waiting,
     *     the last failure with the interrupt status set again
     */
    public <T> T call(Callable<T> body) throws Exception {
        return attempts(operationListener(), body);
    }

    /**
     * Runs the body under the retry and the breaker, and answers with the fallback when the operation ends with a
     * failure or a rejection that the guard's {@link FallbackRule} admits. The fallback runs once, after every
     * attempt the retry would make, each recorded by the breaker.
     *
     * @param body the call to the dependency; it may run several times
     * @param fallback answers instead; {@code null} for none
     * @param <T> the result type
     * @return what the body or the fallback returned
     * @throws Exception the operation's failure when the rule does not admit it, or what the fallback threw, the
     *     operation's failure suppressed in it
     */
    public <T> T call(Callable<T> body, Fallback<? extends T> fallback) throws Exception {
        GuardListener listener = operationListener();
        if (fallback == null) {
            return attempts(listener, body);
        }
        try {
            return attempts(listener, body);
        } catch (Throwable failure) {
            Throwable admitted = decisions.fallbackRule().admitted(failure);
            if (admitted == null) {
                throw Guard.<Exception>sneaky(failure);
            }
            T answer;
            try {
                answer = fallback.apply(admitted);
            } catch (Throwable thrown) {
                throw Guard.<Exception>sneaky(decisions.fallbackFailed(listener, thrown, failure));
            }
            decisions.fellBack(listener, Outcome.SUCCESS);
            return answer;
        }
    }

    private <T> T attempts(GuardListener listener, Callable<T> body) throws Exception {
        long start = 0;
        Throwable previous = null;
        for (int attempt = 1; ; attempt++) {
            long permit = 0;
            if (breaker != null) {
                try {
                    permit = breaker.acquirePermit(previous);
                } catch (BreakerOpenException rejection) {
                    throw decisions.rejected(listener, attempt, start, rejection);
                }
            }
            long attemptStart = time.nanoTime();
            if (attempt == 1) {
                start = attemptStart; // the operation's clock starts with its first call: a rejection reads none
                decisions.firstAttempt(attemptStart);
            }
            T result;
            try {
                result = body.call();
            } catch (Throwable failure) {
                long now = time.nanoTime();
                boolean interrupted = Thread.currentThread().isInterrupted();
                if (!interrupted && Causes.anyMatch(failure, Uncounted.INTERRUPTS)) {
                    Thread.currentThread().interrupt(); // the body swallowed the status: the caller gets it back
                    interrupted = true;
                }
                long wait = decisions.afterFailure(listener, attempt, permit, failure, start, now - attemptStart, now,
                        interrupted, false);
                if (wait > 0) {
                    try {
                        time.sleep(wait);
                    } catch (InterruptedException interruptedWaiting) {
                        Thread.currentThread().interrupt();
                        failure.addSuppressed(interruptedWaiting);
                        decisions.ended(listener, Outcome.FAILURE, attempt, start, time.nanoTime(), failure);
                        throw Guard.<Exception>sneaky(failure);
                    }
                }
                previous = failure;
                continue;
            }
            long now = time.nanoTime();
            decisions.succeeded(listener, attempt, permit, start, now - attemptStart, now);
            return result;
        }
    }

    /**
     * Runs an asynchronous body under the retry and the breaker. Each attempt is recorded when its stage
     * completes, not when it is returned, and retries are scheduled on the time source: no thread blocks while
     * waiting. Cancelling the returned future cancels the attempt in flight ({@code cancel(true)} on its stage),
     * counts it as neither success nor failure, drops its later outcome and starts no other attempt; the operation
     * is then {@code cancelled}. A retry that the time source cannot schedule completes the future exceptionally
     * with the scheduler's exception, the last failure suppressed in it: the future always completes. A body that
     * returns {@code null} instead of a stage is the caller's bug: not counted, not retried.
     *
     * @param body starts the call to the dependency; it may run several times
     * @param <T> the result type
     * @return a future completed with the body's result, or exceptionally with its last failure (unwrapped) or
     *     with a {@link BreakerOpenException}
     */
    public <T> CompletableFuture<T> callAsync(Callable<? extends CompletionStage<T>> body) {
        return callAsync(body, null);
    }

    /**
     * Runs an asynchronous body as {@link #callAsync(Callable)} does, and answers with the fallback's stage when the
     * operation ends with a failure or a rejection that the guard's {@link FallbackRule} admits.
     *
     * @param body starts the call to the dependency; it may run several times
     * @param fallback starts the answer instead; {@code null} for none
     * @param <T> the result type
     * @return a future completed as the body's or the fallback's stage; when the fallback fails, exceptionally with
     *     what it failed with, the operation's failure suppressed in it
     */
    public <T> CompletableFuture<T> callAsync(Callable<? extends CompletionStage<T>> body,
            Fallback<? extends CompletionStage<T>> fallback) {
        AsyncOperation<T> operation = new AsyncOperation<>(decisions, operationListener(), body, fallback);
        operation.run();
        return operation.result();
    }

    /**
     * Starts one operation whose attempts the caller runs its own way (a reactive stream's subscriptions, say),
     * binding the operation's listener on the calling thread. The decisions stay the guard's.
     *
     * @return the operation's attempts, to be driven from one thread at a time
     */
    public Attempts begin() {
        return new Attempts(decisions, operationListener());
    }

    /** The listener of one operation, asked on the caller's thread; a listener that fails here hears it all. */
    private GuardListener operationListener() {
        try {
            GuardListener bound = listener.onOperationStart();
            return bound != null ? bound : listener;
        } catch (Throwable broken) {
            decisions.listenerFailed(broken);
            return listener;
        }
    }

    @SuppressWarnings("unchecked")
    static <E extends Throwable> E sneaky(Throwable failure) throws E {
        throw (E) failure;
    }

    @Override
    public String toString() {
        return "Guard[" + name + ", " + retry + ", breaker=" + (breaker == null ? "none" : breaker.name()) + "]";
    }

    /** Builds a {@link Guard}; not thread-safe. */
    public static final class Builder {

        private final String name;
        private RetryPolicy retry = RetryPolicy.none();
        private CircuitBreaker breaker;
        private GuardListener listener = GuardListener.NONE;
        private TimeSource time = TimeSource.system();
        private DoubleSupplier random = THREAD_LOCAL_RANDOM;
        private List<Class<? extends Throwable>> neverCounted = List.of();
        private RetryBudget budget;
        private Pushback pushback = Pushback.NONE;
        private FallbackRule fallbackRule = FallbackRule.of(List.of(), List.of());

        private Builder(String name) {
            this.name = name;
        }

        /** @param value the retry policy; default {@link RetryPolicy#none()} @return this builder */
        public Builder retry(RetryPolicy value) {
            retry = value;
            return this;
        }

        /** @param value the breaker, possibly shared with other guards; default none @return this builder */
        public Builder breaker(CircuitBreaker value) {
            breaker = value;
            return this;
        }

        /** @param value hears attempts, waits and operations; default none @return this builder */
        public Builder listener(GuardListener value) {
            listener = value;
            return this;
        }

        /** @param value the clock, sleeper and scheduler; default {@link TimeSource#system()} @return this builder */
        public Builder timeSource(TimeSource value) {
            time = value;
            return this;
        }

        /**
         * @param value uniform random numbers in [0, 1) for the jitter, called from any thread; default a
         *     thread-local generator
         * @return this builder
         */
        public Builder random(DoubleSupplier value) {
            random = value;
            return this;
        }

        /**
         * @param value failures that are the caller's own, beside those every guard knows (an
         *     {@code Error}, an interrupt, an inner breaker's rejection):
         *     matched on the cause chain, never retried and never counted by the breaker, such as a method
         *     validation's refusal; default none
         * @return this builder
         */
        public Builder neverCounted(List<Class<? extends Throwable>> value) {
            neverCounted = List.copyOf(value);
            return this;
        }

        /**
         * @param value the retry budget of the breaker's dependency, shared by every guard naming that breaker:
         *     counts this guard's first attempts and is asked last before each retry; default none
         * @return this builder
         */
        public Builder budget(RetryBudget value) {
            budget = value;
            return this;
        }

        /**
         * @param value reads the server's delay from a failure, asked before each retry's wait; default none
         * @return this builder
         */
        public Builder pushback(Pushback value) {
            pushback = value;
            return this;
        }

        /**
         * @param value which failures get the fallback passed to a call; default every {@code Exception}
         * @return this builder
         */
        public Builder fallbackRule(FallbackRule value) {
            fallbackRule = value;
            return this;
        }

        /** @return the guard */
        public Guard build() {
            return new Guard(this);
        }
    }
}
