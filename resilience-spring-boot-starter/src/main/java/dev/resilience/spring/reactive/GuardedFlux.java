package dev.resilience.spring.reactive;

import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;

/** What a guarded {@code Flux} method returns: each subscription is one operation of its guard. */
final class GuardedFlux<T> extends Flux<T> {

    private final GuardedCall<T> call;

    GuardedFlux(GuardedCall<T> call) {
        this.call = call;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        Operation.subscribe(call, actual);
    }

    @Override
    public String toString() {
        return "GuardedFlux[" + call.guard.name() + "]";
    }
}
