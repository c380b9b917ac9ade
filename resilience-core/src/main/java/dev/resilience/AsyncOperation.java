package dev.resilience;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * One asynchronous operation of a {@link Guard}: attempts run one after the other, each started by {@link #run()}
 * (at once, then from the time source's scheduler) and ended by {@link #accept} when its stage completes. The
 * decisions are the guard's, the same as for a synchronous call.
 *
 * <p>The caller may cancel the returned future at any moment, so the operation and the caller race for its end. One
 * atomic turn settles every race: it says which attempt is current and whether it is being started or decided
 * ({@code DECIDING}), is running ({@code RUNNING}), has succeeded and is being recorded ({@code ENDING}) or is over
 * and waiting for the next ({@code WAITING}), and the operation ends when someone swaps it to {@code OVER}, or to
 * {@code CANCELLED} for the caller's cancellation. Whoever swaps it reports the operation's end, exactly once: a
 * cancellation cancels the attempt in flight, counts it as neither success nor failure, and drops whatever it does
 * later. A success ends the operation, so a cancel that comes while it is being recorded returns false and the caller
 * gets the value; a cancel that comes while another caller's cancellation is under way returns true. The operation
 * reports through this object, which passes on what the guard hears only while the turn allows.
 */
final class AsyncOperation<T> implements Runnable, BiConsumer<T, Throwable>, GuardListener {

    private static final int DECIDING = 0;
    private static final int RUNNING = 1;
    private static final int WAITING = 2;
    private static final int ENDING = 3;
    private static final int OVER = -4;
    private static final int CANCELLED = -8;

    private final Decisions guard;
    private final GuardListener listener;
    private final Callable<? extends CompletionStage<T>> body;
    private final Fallback<? extends CompletionStage<T>> fallback;
    private final Result result = new Result();
    private final Runnable retry;
    /** {@code attempt * 4 + phase}, or {@code OVER} or {@code CANCELLED}. */
    private final AtomicInteger turn = new AtomicInteger(WAITING);
    private volatile CompletionStage<T> inFlight;
    private volatile int attempt;
    private volatile long permit;
    private volatile long attemptStart;
    private volatile long start;
    private Throwable previous;
    private boolean ended;

    AsyncOperation(Decisions guard, GuardListener listener, Callable<? extends CompletionStage<T>> body,
            Fallback<? extends CompletionStage<T>> fallback) {
        this.guard = guard;
        this.listener = listener;
        this.body = body;
        this.fallback = fallback;
        this.retry = guard.time().capture(this); // on the caller's thread: every retry runs with its context
    }

    CompletableFuture<T> result() {
        return result;
    }

    /** Starts the next attempt, unless the operation was cancelled meanwhile. */
    @Override
    public void run() {
        int current = attempt;
        if (!turn.compareAndSet(current * 4 + WAITING, current * 4 + DECIDING)) {
            return;
        }
        int next = current + 1;
        CircuitBreaker breaker = guard.breaker();
        long granted = 0;
        if (breaker != null) {
            try {
                granted = breaker.acquirePermit(previous);
            } catch (BreakerOpenException rejection) {
                BreakerOpenException end = guard.rejected(this, next, start, rejection);
                if (ended) {
                    fail(end);
                }
                return;
            }
        }
        long now = guard.time().nanoTime();
        permit = granted;
        attemptStart = now;
        if (next == 1) {
            start = now;
            guard.firstAttempt(now);
        }
        attempt = next;
        if (!turn.compareAndSet(current * 4 + DECIDING, next * 4 + RUNNING)) {
            if (breaker != null) {
                breaker.onIgnored(granted); // cancelled while it asked: the probe slot is used, nothing ran
            }
            return;
        }
        CompletionStage<T> stage;
        try {
            stage = body.call();
        } catch (Throwable failure) {
            end(null, failure, false);
            return;
        }
        if (stage == null) {
            end(null, new NullPointerException("The body of '" + guard.name() + "' returned no CompletionStage"
                    + " at attempt " + next + "; a method that returns CompletionStage must not return null"), true);
            return;
        }
        inFlight = stage;
        if (turn.get() == CANCELLED) {
            cancel(stage); // cancelled while the body was starting
        }
        stage.whenComplete(this);
    }

    /** Ends the current attempt when its stage completes. */
    @Override
    public void accept(T value, Throwable thrown) {
        end(value, thrown, false);
    }

    private void end(T value, Throwable thrown, boolean callerFault) {
        int current = attempt;
        int phase = thrown == null ? ENDING : DECIDING;
        if (!turn.compareAndSet(current * 4 + RUNNING, current * 4 + phase)) {
            return; // cancelled: this attempt's outcome is dropped
        }
        inFlight = null;
        long now = guard.time().nanoTime();
        if (thrown == null) {
            guard.succeeded(this, current, permit, start, now - attemptStart, now);
            if (ended) {
                result.complete(value);
            }
            return;
        }
        Throwable failure = unwrap(thrown);
        long wait;
        try {
            wait = guard.afterFailure(this, current, permit, failure, start, now - attemptStart, now, callerFault,
                    false);
        } catch (Throwable end) {
            if (ended) {
                fail(end);
            }
            return;
        }
        previous = failure;
        if (!turn.compareAndSet(current * 4 + DECIDING, current * 4 + WAITING)) {
            return; // cancelled while deciding
        }
        try {
            guard.time().schedule(retry, wait);
        } catch (Throwable unscheduled) {
            if (turn.compareAndSet(current * 4 + WAITING, OVER)) {
                unscheduled.addSuppressed(failure);
                guard.ended(listener, Outcome.FAILURE, current, start, guard.time().nanoTime(), unscheduled);
                fail(unscheduled);
            }
        }
    }

    /** Completes the caller's future with the operation's end, or with its fallback's answer when it has one. */
    private void fail(Throwable end) {
        Throwable admitted = fallback == null ? null : guard.fallbackRule().admitted(end);
        if (admitted == null) {
            result.completeExceptionally(end);
            return;
        }
        CompletionStage<T> answer;
        try {
            answer = fallback.apply(admitted);
            if (answer == null) {
                throw new NullPointerException("The fallback of '" + guard.name() + "' returned no CompletionStage");
            }
        } catch (Throwable thrown) {
            result.completeExceptionally(guard.fallbackFailed(listener, thrown, end));
            return;
        }
        answer.whenComplete((value, thrown) -> {
            if (thrown == null) {
                guard.fellBack(listener, Outcome.SUCCESS);
                result.complete(value);
            } else {
                result.completeExceptionally(guard.fallbackFailed(listener, unwrap(thrown), end));
            }
        });
    }

    /** The caller cancelled: ends the operation unless it has ended already. */
    private boolean cancelled() {
        for (;;) {
            int current = turn.get();
            if (current == OVER || current >= 0 && (current & 3) == ENDING) {
                return false;
            }
            if (current == CANCELLED) {
                return true; // another caller's cancellation is ending it
            }
            if (turn.compareAndSet(current, CANCELLED)) {
                long now = guard.time().nanoTime();
                int number = current >> 2;
                if ((current & 3) == RUNNING) {
                    CompletionStage<T> stage = inFlight;
                    if (stage != null) {
                        cancel(stage);
                    }
                    if (guard.breaker() != null) {
                        guard.breaker().onIgnored(permit);
                    }
                    guard.attempt(listener, number, Outcome.CANCELLED, now - attemptStart, null);
                }
                guard.ended(listener, Outcome.CANCELLED, number, start, number == 0 ? start : now, null);
                return true;
            }
        }
    }

    private static void cancel(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().cancel(true);
        } catch (UnsupportedOperationException notCancellable) {
            // a stage that cannot be cancelled goes on; its outcome is dropped
        }
    }

    private static Throwable unwrap(Throwable thrown) {
        Throwable current = thrown;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    // What the guard reports of this operation passes on while the turn allows: the operation's end only once.

    @Override
    public void onAttempt(int number, Outcome outcome, long nanos, Throwable failure) {
        listener.onAttempt(number, outcome, nanos, failure);
    }

    @Override
    public void onRetryWait(int nextAttempt, long waitNanos, WaitReason reason) {
        listener.onRetryWait(nextAttempt, waitNanos, reason);
    }

    @Override
    public void onRetryDenied(int nextAttempt) {
        listener.onRetryDenied(nextAttempt);
    }

    @Override
    public void onOperation(Outcome outcome, int attempts, boolean retried, long nanos, Throwable failure) {
        int current = turn.get();
        if (current >= 0 && ((current & 3) == DECIDING || (current & 3) == ENDING)
                && turn.compareAndSet(current, OVER)) {
            ended = true;
            listener.onOperation(outcome, attempts, retried, nanos, failure);
        }
    }

    /** The caller's future: cancelling it ends the operation, unless the operation has ended first. */
    private final class Result extends CompletableFuture<T> {

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (cancelled()) {
                super.cancel(mayInterruptIfRunning);
                return true;
            }
            return isCancelled();
        }
    }
}
