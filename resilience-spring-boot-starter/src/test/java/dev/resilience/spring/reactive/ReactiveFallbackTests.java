package dev.resilience.spring.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.BreakerOpenException;
import dev.resilience.CircuitBreaker;
import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.Retry;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** {@code @Fallback} on a {@code Mono} or {@code Flux} method: a publisher of the same kind, subscribed to once. */
class ReactiveFallbackTests {

    private final ReactiveProxies proxies = new ReactiveProxies();
    private final CircuitBreaker stock = proxies.breaker("stock");
    private final StockClient target = new StockClient();
    private final StockClient client = proxies.proxy(target);

    @Test
    void theFallbackIsSubscribedToAfterTheLastAttempt() {
        // given
        target.failures.set(Integer.MAX_VALUE);

        // when / then
        StepVerifier.create(client.level("sku-1"))
                .then(() -> proxies.fakeTime.advance(Duration.ofMillis(100)))
                .expectNext("sku-1: last known after IOException")
                .verifyComplete();
        assertThat(target.subscriptions).hasValue(2);
        assertThat(target.fallbacks).hasValue(1);
        assertThat(proxies.events).containsExactly("StockClient.level attempt 1 failure IOException",
                "StockClient.level attempt 2 failure IOException", "StockClient.level failure 2 retried",
                "StockClient.level fallback success");
    }

    @Test
    void aRejectionGetsTheFallbackWhenApplyOnAdmitsIt() {
        // given
        stock.forceOpen();

        // when / then
        StepVerifier.create(client.level("sku-1"))
                .expectNext("sku-1: last known after BreakerOpenException")
                .verifyComplete();
        assertThat(target.subscriptions).hasValue(0);
    }

    @Test
    void aFailureThatApplyOnDoesNotAdmitGoesToTheSubscriber() {
        // given
        target.failWith = new IllegalArgumentException("no such sku");

        // when / then
        StepVerifier.create(client.level("sku-1"))
                .then(() -> proxies.fakeTime.advance(Duration.ofMillis(100)))
                .expectError(IllegalArgumentException.class)
                .verify(Duration.ofSeconds(5));
        assertThat(target.fallbacks).hasValue(0);
    }

    @Test
    void aFailedFallbackCarriesTheOperationsFailureSuppressed() {
        // given
        target.failures.set(Integer.MAX_VALUE);

        // when / then
        StepVerifier.create(client.reserve("sku-1"))
                .expectErrorSatisfies(failure -> {
                    assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessage("no reservations");
                    assertThat(failure.getSuppressed()).singleElement().isInstanceOf(IOException.class);
                })
                .verify(Duration.ofSeconds(5));
        assertThat(proxies.events).contains("StockClient.reserve fallback failure");
    }

    @Test
    void aFluxThatFailedBeforeEmittingGetsTheFallbacksElements() {
        // given
        target.failures.set(Integer.MAX_VALUE);

        // when / then
        StepVerifier.create(client.levels()).expectNext("cached-1", "cached-2").verifyComplete();
        assertThat(proxies.events).endsWith("StockClient.levels fallback success");
    }

    @Test
    void aCommittedFluxGetsNoFallback() {
        // given a stream that fails after its first element
        target.failAfterFirst = true;

        // when / then
        StepVerifier.create(client.levels()).expectNext("live-1").expectError(IOException.class)
                .verify(Duration.ofSeconds(5));
        assertThat(target.fallbacks).hasValue(0);
    }

    @Breaker("stock")
    public static class StockClient {

        final AtomicInteger subscriptions = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        final AtomicInteger fallbacks = new AtomicInteger();
        volatile RuntimeException failWith;
        volatile boolean failAfterFirst;

        @Retry(maxAttempts = 2, idempotent = true)
        @Fallback(method = "lastKnown", applyOn = { IOException.class, BreakerOpenException.class })
        public Mono<String> level(String sku) {
            return Mono.defer(() -> {
                subscriptions.incrementAndGet();
                if (failWith != null) {
                    return Mono.error(failWith);
                }
                return failures.getAndDecrement() > 0 ? Mono.error(new IOException("down")) : Mono.just("42");
            });
        }

        Mono<String> lastKnown(String sku, Exception failure) {
            return Mono.fromSupplier(() -> {
                fallbacks.incrementAndGet();
                return sku + ": last known after " + failure.getClass().getSimpleName();
            });
        }

        @Fallback(method = "noReservation")
        public Mono<String> reserve(String sku) {
            return Mono.error(new IOException("down"));
        }

        Mono<String> noReservation(String sku) {
            return Mono.error(new IllegalStateException("no reservations"));
        }

        @Fallback(method = "cachedLevels")
        public Flux<String> levels() {
            return Flux.defer(() -> failAfterFirst ? Flux.concat(Flux.just("live-1"), Flux.error(new IOException("x")))
                    : Flux.error(new IOException("down")));
        }

        Flux<String> cachedLevels() {
            fallbacks.incrementAndGet();
            return Flux.just("cached-1", "cached-2");
        }
    }
}
