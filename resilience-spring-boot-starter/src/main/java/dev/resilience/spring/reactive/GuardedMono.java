package dev.resilience.spring.reactive;

import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/** What a guarded {@code Mono} method returns: each subscription is one operation of its guard. */
final class GuardedMono<T> extends Mono<T> {

    private final GuardedCall<T> call;

    GuardedMono(GuardedCall<T> call) {
        this.call = call;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        Operation.subscribe(call, actual);
    }

    @Override
    public String toString() {
        return "GuardedMono[" + call.guard.name() + "]";
    }
}
