package dev.resilience.spring.reactive;

import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * The subscriber of one attempt (one subscription to the method's publisher), or of the fallback's publisher: it
 * hands the signals to its {@link Operation}, forwards the subscriber's demand, and shows every attempt the
 * subscriber's Reactor {@code Context}.
 */
final class AttemptSubscriber<T> implements CoreSubscriber<T> {

    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<AttemptSubscriber, Subscription> UPSTREAM =
            AtomicReferenceFieldUpdater.newUpdater(AttemptSubscriber.class, Subscription.class, "upstream");
    @SuppressWarnings("rawtypes")
    private static final AtomicLongFieldUpdater<AttemptSubscriber> FORWARDED =
            AtomicLongFieldUpdater.newUpdater(AttemptSubscriber.class, "forwarded");

    private final Operation<T> operation;
    /** What the operation ended with, for the fallback's subscriber; null for an attempt's. */
    private final Throwable fallbackOf;
    private volatile Subscription upstream;
    private volatile long forwarded;
    private boolean emitted;
    private boolean done;

    AttemptSubscriber(Operation<T> operation, Throwable fallbackOf) {
        this.operation = operation;
        this.fallbackOf = fallbackOf;
    }

    @Override
    public Context currentContext() {
        return operation.actual.currentContext();
    }

    @Override
    public void onSubscribe(Subscription subscription) {
        if (Operators.setOnce(UPSTREAM, this, subscription)) {
            forward();
        }
    }

    /** Requests from the publisher what the subscriber requested and this subscriber has not forwarded yet. */
    void forward() {
        Subscription subscription = upstream;
        if (subscription == null || subscription == Operators.cancelledSubscription()) {
            return;
        }
        for (;;) {
            long wanted = operation.requested;
            long sent = forwarded;
            if (wanted <= sent) {
                return;
            }
            if (FORWARDED.compareAndSet(this, sent, wanted)) {
                subscription.request(wanted == Long.MAX_VALUE ? Long.MAX_VALUE : wanted - sent);
                return;
            }
        }
    }

    void cancelUpstream() {
        Operators.terminate(UPSTREAM, this);
    }

    @Override
    public void onNext(T value) {
        if (done) {
            Operators.onNextDropped(value, currentContext());
            return;
        }
        if (!operation.call.flux) {
            done = true; // a Mono's value is its end
            if (fallbackOf == null) {
                operation.value(value);
            } else if (!operation.cancelled) {
                operation.fallbackSucceeded();
                operation.actual.onNext(value);
                operation.actual.onComplete();
            }
            return;
        }
        if (!emitted && fallbackOf == null) {
            emitted = true;
            if (!operation.firstElement()) {
                done = true;
                Operators.onDiscard(value, currentContext());
                return;
            }
        }
        if (operation.cancelled) {
            Operators.onDiscard(value, currentContext());
            return;
        }
        operation.actual.onNext(value);
    }

    @Override
    public void onError(Throwable failure) {
        if (done) {
            Operators.onErrorDropped(failure, currentContext());
            return;
        }
        done = true;
        if (fallbackOf == null) {
            operation.attemptFailed(failure);
        } else if (!operation.cancelled) {
            operation.actual.onError(operation.fallbackFailed(failure, fallbackOf));
        }
    }

    @Override
    public void onComplete() {
        if (done) {
            return;
        }
        done = true;
        if (fallbackOf == null) {
            operation.completed();
        } else if (!operation.cancelled) {
            operation.fallbackSucceeded();
            operation.actual.onComplete();
        }
    }
}
