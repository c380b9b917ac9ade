package dev.resilience.spring.reactive;

import dev.resilience.Attempts;
import dev.resilience.BreakerOpenException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.publisher.Operators;

/**
 * One operation: one subscription to a guarded publisher, the subscription its subscriber holds. Its attempts run
 * one after the other, each a subscription to the method's publisher through an {@link AttemptSubscriber}, and the
 * guard decides through {@link Attempts}, which must be driven from one thread at a time.
 *
 * <p>The attempts' signals, the scheduled retries and the first subscription follow each other, but the subscriber
 * may cancel at any moment, from any thread. One atomic state settles that race. While it is {@code DECIDING}, one
 * thread (the driver) talks to {@code Attempts}; a cancellation that arrives then only marks it
 * {@code DECIDING_CANCELLED}, and the driver finishes the cancellation when it tries to leave. While an attempt is
 * {@code RUNNING} or a retry is {@code WAITING}, nobody talks to {@code Attempts}, so whoever swaps the state first
 * (the attempt's next signal, the retry's timer, or the cancellation) owns the next step. {@code OVER} means the guard
 * has reported the operation; only a fallback may follow.
 *
 * <p>Demand: the subscriber's requests add up in {@code requested}, and each attempt forwards to its publisher what it
 * has not forwarded yet. An attempt that is retried emitted nothing, so the next one owes the whole demand.
 */
final class Operation<T> implements Subscription, Runnable {

    private static final int DECIDING = 0;
    private static final int DECIDING_CANCELLED = 1;
    private static final int RUNNING = 2;
    private static final int WAITING = 3;
    private static final int OVER = 4;

    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<Operation> STATE =
            AtomicIntegerFieldUpdater.newUpdater(Operation.class, "state");
    @SuppressWarnings("rawtypes")
    private static final AtomicLongFieldUpdater<Operation> REQUESTED =
            AtomicLongFieldUpdater.newUpdater(Operation.class, "requested");

    final CoreSubscriber<? super T> actual;
    final GuardedCall<T> call;
    private final Attempts attempts;
    private volatile int state; // DECIDING: the subscribing thread drives the first attempt
    volatile long requested;
    volatile boolean cancelled;
    private volatile AttemptSubscriber<T> current;
    private Publisher<T> publisher;
    private boolean committed;

    private Operation(GuardedCall<T> call, CoreSubscriber<? super T> actual, Attempts attempts) {
        this.call = call;
        this.actual = actual;
        this.attempts = attempts;
    }

    /** Starts one operation, binding it to the subscribing thread (its observation, say), and its first attempt. */
    static <T> void subscribe(GuardedCall<T> call, CoreSubscriber<? super T> actual) {
        Operation<T> operation = new Operation<>(call, actual, call.guard.begin());
        actual.onSubscribe(operation);
        operation.start();
    }

    /** Starts the next attempt; the driver holds the state. */
    private void start() {
        if (state == DECIDING_CANCELLED) {
            state = OVER;
            attempts.cancelled();
            return;
        }
        try {
            attempts.start();
        } catch (BreakerOpenException rejection) {
            end(rejection);
            return;
        }
        Publisher<T> source;
        try {
            source = publisher();
        } catch (Throwable failure) {
            failed(failure);
            return;
        }
        AttemptSubscriber<T> attempt = new AttemptSubscriber<>(this, null);
        current = attempt;
        if (!STATE.compareAndSet(this, DECIDING, RUNNING)) {
            state = OVER; // cancelled while the attempt started: its permit is given back unused
            attempts.cancelled();
            return;
        }
        try {
            source.subscribe(attempt);
        } catch (Throwable broken) {
            Exceptions.throwIfJvmFatal(broken);
            attempt.onError(broken);
        }
    }

    /** The method's publisher, kept for this operation's later attempts; the method is called again only after it failed. */
    private Publisher<T> publisher() throws Throwable {
        if (publisher == null) {
            int attempt = attempts.attempt();
            publisher = attempt == 1 ? call.first() : call.again(attempt);
        }
        return publisher;
    }

    /** An attempt failed before it was committed; the guard decides whether a retry follows. */
    private void failed(Throwable failure) {
        long wait;
        try {
            wait = attempts.failed(failure);
        } catch (Throwable end) {
            end(end);
            return;
        }
        if (!STATE.compareAndSet(this, DECIDING, WAITING)) {
            state = OVER;
            attempts.cancelled();
            return;
        }
        try {
            attempts.time().schedule(this, wait);
        } catch (Throwable unscheduled) {
            if (STATE.compareAndSet(this, WAITING, OVER)) {
                unscheduled.addSuppressed(failure);
                attempts.abandoned(unscheduled);
                actual.onError(unscheduled);
            }
        }
    }

    /** The retry's wait is over. */
    @Override
    public void run() {
        if (STATE.compareAndSet(this, WAITING, DECIDING)) {
            start();
        }
    }

    /** A {@code Flux} attempt's first element commits it. @return whether to pass the element on */
    boolean firstElement() {
        if (!STATE.compareAndSet(this, RUNNING, DECIDING)) {
            return false;
        }
        attempts.firstElement();
        committed = true;
        if (STATE.compareAndSet(this, DECIDING, RUNNING)) {
            return true;
        }
        state = OVER; // cancelled after its first element: a success
        attempts.succeeded();
        current.cancelUpstream();
        return false;
    }

    /** A {@code Mono} attempt's value: the attempt and the operation succeeded. */
    void value(T value) {
        if (!STATE.compareAndSet(this, RUNNING, DECIDING)) {
            Operators.onDiscard(value, actual.currentContext());
            return;
        }
        attempts.succeeded();
        if (over()) {
            actual.onNext(value);
            actual.onComplete();
        } else {
            Operators.onDiscard(value, actual.currentContext());
        }
    }

    /** The attempt completed: the attempt and the operation succeeded. */
    void completed() {
        if (STATE.compareAndSet(this, RUNNING, DECIDING)) {
            attempts.succeeded();
            if (over()) {
                actual.onComplete();
            }
        }
    }

    /** The attempt failed: a committed one ends the operation, any other may be retried. */
    void attemptFailed(Throwable failure) {
        if (!STATE.compareAndSet(this, RUNNING, DECIDING)) {
            return; // cancelled: the attempt's outcome is dropped
        }
        if (committed) {
            Throwable end = attempts.failedCommitted(failure);
            if (over()) {
                actual.onError(end);
            }
            return;
        }
        failed(failure);
    }

    /** The operation ended with a failure or a rejection, reported: the subscriber gets it, or the fallback's answer. */
    private void end(Throwable end) {
        if (!over()) {
            return;
        }
        Throwable admitted = committed || !call.hasFallback() ? null : attempts.fallbackFor(end);
        if (admitted == null) {
            actual.onError(end);
            return;
        }
        Publisher<T> answer;
        try {
            answer = call.fallback(admitted);
        } catch (Throwable thrown) {
            actual.onError(attempts.fallbackFailed(thrown, end));
            return;
        }
        AttemptSubscriber<T> fallback = new AttemptSubscriber<>(this, end);
        current = fallback;
        if (!cancelled) {
            answer.subscribe(fallback);
        }
    }

    void fallbackSucceeded() {
        attempts.fallbackSucceeded();
    }

    Throwable fallbackFailed(Throwable thrown, Throwable end) {
        return attempts.fallbackFailed(thrown, end);
    }

    /** Ends the state, the guard having reported. @return whether the subscriber has not cancelled meanwhile */
    private boolean over() {
        return STATE.getAndSet(this, OVER) != DECIDING_CANCELLED;
    }

    @Override
    public void request(long n) {
        if (Operators.validate(n)) {
            Operators.addCap(REQUESTED, this, n);
            AttemptSubscriber<T> attempt = current;
            if (attempt != null) {
                attempt.forward();
            }
        }
    }

    /**
     * The subscriber cancelled: an attempt in flight is cancelled, counted by the breaker as neither success nor
     * failure (a committed one is a success), and no other attempt starts.
     */
    @Override
    public void cancel() {
        cancelled = true;
        for (;;) {
            int now = state;
            if (now == RUNNING) {
                if (STATE.compareAndSet(this, RUNNING, OVER)) {
                    if (committed) {
                        attempts.succeeded();
                    } else {
                        attempts.cancelled();
                    }
                    current.cancelUpstream();
                    return;
                }
            } else if (now == WAITING) {
                if (STATE.compareAndSet(this, WAITING, OVER)) {
                    attempts.cancelled();
                    return;
                }
            } else if (now == DECIDING) {
                if (STATE.compareAndSet(this, DECIDING, DECIDING_CANCELLED)) {
                    return; // the driver cancels when it leaves
                }
            } else {
                AttemptSubscriber<T> fallback = current;
                if (now == OVER && fallback != null) {
                    fallback.cancelUpstream();
                }
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "Operation[" + call.guard.name() + ", attempt " + attempts.attempt() + "]";
    }
}
