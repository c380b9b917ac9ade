package dev.resilience;

/**
 * Hears what one {@link Guard} does: every attempt, every wait between attempts, and every operation as its
 * caller sees it. One listener belongs to one guard, so it can hold whatever it resolved for that guard (meters,
 * tags) and record without looking anything up.
 *
 * <p>Called on the thread that ran the attempt (or, for asynchronous operations, completed it). A listener must be
 * quick; one that throws is logged and never breaks the call. All methods do nothing by default.
 */
public interface GuardListener {

    /** A listener that does nothing. */
    GuardListener NONE = new GuardListener() {
    };

    /**
     * An operation starts, on its caller's thread, before its first attempt. Returns the listener that hears the
     * rest of this one operation: this listener itself (the default, which allocates nothing), or one bound to what
     * only the caller's thread knows, such as its current trace. That matters for asynchronous operations, whose
     * later attempts end on other threads.
     *
     * @return the listener of this operation
     */
    default GuardListener onOperationStart() {
        return this;
    }

    /**
     * An attempt ended: the body returned or threw, or the breaker rejected the attempt.
     *
     * @param attempt the attempt's number, from 1
     * @param outcome success, failure, ignored (a failure the breaker counts as neither), rejected, or cancelled
     *     (the caller cancelled an asynchronous operation while this attempt ran)
     * @param nanos how long the body ran; 0 for a rejection
     * @param failure what the body threw or the rejection, {@code null} on success and cancellation
     */
    default void onAttempt(int attempt, Outcome outcome, long nanos, Throwable failure) {
    }

    /**
     * A retry is about to wait.
     *
     * @param nextAttempt the number of the attempt that follows the wait
     * @param waitNanos the wait
     * @param reason the retry's backoff, or the server's pushback
     */
    default void onRetryWait(int nextAttempt, long waitNanos, WaitReason reason) {
    }

    /**
     * The dependency's retry budget refused a retry that every other rule allowed; the operation ends with its
     * failure, as if its attempts had run out.
     *
     * @param nextAttempt the number of the attempt that was refused
     */
    default void onRetryDenied(int nextAttempt) {
    }

    /**
     * A fallback ran, after the operation ended (which {@link #onOperation} has already heard).
     *
     * @param outcome {@link Outcome#SUCCESS} when it returned, {@link Outcome#FAILURE} when it threw
     */
    default void onFallback(Outcome outcome) {
    }

    /**
     * An operation ended, as its caller sees it.
     *
     * @param outcome success, failure, rejected (a rejection ended it, this guard's breaker's or an inner one's),
     *     or cancelled (the caller cancelled an asynchronous operation)
     * @param attempts attempts made, the rejected one included
     * @param retried whether there was more than one attempt
     * @param nanos how long the whole operation took, waits included
     * @param failure what the caller gets thrown, {@code null} on success and cancellation
     */
    default void onOperation(Outcome outcome, int attempts, boolean retried, long nanos, Throwable failure) {
    }
}
