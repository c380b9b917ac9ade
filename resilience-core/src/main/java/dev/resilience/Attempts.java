package dev.resilience;

/**
 * The attempts of one operation of a {@link Guard}, for an adapter that runs them its own way: a reactive stream
 * that subscribes once per attempt, say. The adapter says what happens ({@link #start()}, {@link #succeeded()},
 * {@link #failed}, {@link #cancelled}) and the guard decides and reports, exactly as for {@link Guard#call}: the
 * breaker's permit, the retry's wait or the operation's end, the budget, the pushback and the listener's events.
 *
 * <p>Not thread-safe: drive one operation from one thread at a time (a reactive subscription's signals are
 * serialized). An operation is over once a method says so; after that, call only the fallback methods.
 */
public final class Attempts {

    private final Decisions guard;
    private final GuardListener listener;
    private int attempt;
    private long permit;
    private long start;
    private long attemptStart;
    private long attemptEnd;
    private boolean running;
    private Throwable previous;

    Attempts(Decisions guard, GuardListener listener) {
        this.guard = guard;
        this.listener = listener;
    }

    /**
     * Starts the next attempt: asks the breaker for a permit.
     *
     * @throws BreakerOpenException when the breaker rejects it; the operation is then over, reported as rejected
     *     (the previous attempt's failure is the rejection's cause)
     */
    public void start() {
        int next = attempt + 1;
        CircuitBreaker breaker = guard.breaker();
        if (breaker != null) {
            try {
                permit = breaker.acquirePermit(previous);
            } catch (BreakerOpenException rejection) {
                attempt = next;
                throw guard.rejected(listener, next, start, rejection);
            }
        }
        long now = guard.time().nanoTime();
        attempt = next;
        attemptStart = now;
        attemptEnd = 0;
        running = true;
        if (next == 1) {
            start = now;
            guard.firstAttempt(now);
        }
    }

    /** @return the number of the current attempt, from 1; 0 before the first */
    public int attempt() {
        return attempt;
    }

    /**
     * Ends the attempt's duration now, for slow calls and metrics, though its outcome comes later: a stream's
     * attempt lasts until its first element. Later calls do nothing.
     */
    public void firstElement() {
        if (running && attemptEnd == 0) {
            attemptEnd = guard.time().nanoTime();
            if (attemptEnd == 0) {
                attemptEnd = 1;
            }
        }
    }

    /** The attempt succeeded, and so did the operation, which is over. */
    public void succeeded() {
        long now = guard.time().nanoTime();
        running = false;
        guard.succeeded(listener, attempt, permit, start, attemptNanos(now), now);
    }

    /**
     * The attempt failed; the guard decides what follows.
     *
     * @param failure what the attempt failed with, unwrapped
     * @return the wait, in nanoseconds, before {@link #start()} is to be called for the next attempt
     * @throws Throwable what the operation ends with, reported: the failure itself, or a rejection when the breaker
     *     already rejects the next attempt
     */
    public long failed(Throwable failure) {
        return failed(failure, false);
    }

    /**
     * The attempt failed after it was committed (a stream that emitted an element): recorded, never retried.
     *
     * @param failure what the attempt failed with
     * @return the failure, which the operation ends with, reported
     */
    public Throwable failedCommitted(Throwable failure) {
        try {
            failed(failure, true);
        } catch (Throwable end) {
            return end;
        }
        throw new IllegalStateException("a committed attempt of '" + guard.name() + "' was retried");
    }

    private long failed(Throwable failure, boolean committed) {
        long now = guard.time().nanoTime();
        running = false;
        long wait = guard.afterFailure(listener, attempt, permit, failure, start, attemptNanos(now), now, false,
                committed);
        previous = failure;
        return wait;
    }

    /**
     * The operation could not go on between two attempts (its retry could not be scheduled): it is over, reported
     * as a failure with that reason.
     *
     * @param reason why it could not go on, what the caller gets
     */
    public void abandoned(Throwable reason) {
        long now = guard.time().nanoTime();
        running = false;
        guard.ended(listener, Outcome.FAILURE, attempt, start, now, reason);
    }

    /**
     * The caller cancelled the operation, which is over: an attempt that was running counts as neither success nor
     * failure for the breaker (its probe slot stays used) and is reported {@code cancelled}, as the operation is.
     */
    public void cancelled() {
        long now = guard.time().nanoTime();
        if (running) {
            running = false;
            if (guard.breaker() != null) {
                guard.breaker().onIgnored(permit);
            }
            guard.attempt(listener, attempt, Outcome.CANCELLED, attemptNanos(now), null);
        }
        guard.ended(listener, Outcome.CANCELLED, attempt, start, attempt == 0 ? start : now, null);
    }

    /**
     * The throwable the fallback receives for what the operation ended with, by the guard's {@link FallbackRule}.
     *
     * @param end what the operation ended with
     * @return the throwable for the fallback, or {@code null} when the failure gets none
     */
    public Throwable fallbackFor(Throwable end) {
        return guard.fallbackRule().admitted(end);
    }

    /** The fallback returned (or its publisher completed). */
    public void fallbackSucceeded() {
        guard.fellBack(listener, Outcome.SUCCESS);
    }

    /**
     * The fallback failed.
     *
     * @param thrown what it failed with
     * @param end what the operation ended with
     * @return what the caller gets: {@code thrown}, with {@code end} suppressed in it
     */
    public Throwable fallbackFailed(Throwable thrown, Throwable end) {
        return guard.fallbackFailed(listener, thrown, end);
    }

    /** @return the guard's time source, whose scheduler runs the waits */
    public TimeSource time() {
        return guard.time();
    }

    private long attemptNanos(long now) {
        return (attemptEnd != 0 ? attemptEnd : now) - attemptStart;
    }
}
