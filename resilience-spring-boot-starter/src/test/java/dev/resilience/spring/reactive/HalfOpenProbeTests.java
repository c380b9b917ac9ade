package dev.resilience.spring.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.BreakerConfig;
import dev.resilience.BreakerOpenException;
import dev.resilience.BreakerState;
import dev.resilience.CircuitBreaker;
import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Many subscribers at once against a half-open breaker: at most {@code half-open-probes} subscriptions reach the
 * dependency, whatever the retries, and probes that are cancelled, or never end, never leave it half-open.
 */
class HalfOpenProbeTests {

    private static final int SUBSCRIBERS = 32;
    private static final int PROBES = 3;
    private static final Duration OPEN = Duration.ofSeconds(10);
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private final ReactiveProxies proxies = new ReactiveProxies();
    private final CircuitBreaker inventory = proxies.breaker("inventory", BreakerConfig.builder().windowSize(2)
            .minimumCalls(2).failureRateThreshold(100).openDuration(OPEN).halfOpenProbes(PROBES)
            .halfOpenMaxWait(MAX_WAIT).build());
    private final InventoryClient target = new InventoryClient();
    private final InventoryClient client = proxies.proxy(target);
    private final ExecutorService threads = Executors.newFixedThreadPool(SUBSCRIBERS);
    private final List<Disposable> subscriptions = new CopyOnWriteArrayList<>();
    private final AtomicInteger rejected = new AtomicInteger();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @RepeatedTest(10)
    void atMostTheProbesReachTheDependencyAndCancelledProbesOpenTheBreakerAgain() throws Exception {
        // given a half-open breaker and a dependency whose calls never end
        halfOpen();
        target.hang = true;

        // when 32 subscribers subscribe at once
        subscribeAllAtOnce();

        // then
        assertThat(target.subscriptions.get()).isBetween(1, PROBES);
        assertThat(rejected.get()).isEqualTo(SUBSCRIBERS - target.subscriptions.get());
        assertThat(inventory.state()).isEqualTo(BreakerState.HALF_OPEN);

        // when every subscriber cancels
        subscriptions.forEach(Disposable::dispose);

        // then the probes that reached the dependency were cancelled: none succeeded, so the breaker opens again
        assertThat(target.subscriptions).hasValue(PROBES);
        assertThat(target.cancelled).hasValue(PROBES);
        assertThat(inventory.state()).isEqualTo(BreakerState.OPEN);
    }

    @RepeatedTest(10)
    void failingProbesAndTheirRetriesNeverExceedTheProbes() throws Exception {
        // given a half-open breaker and a dependency that fails at once
        halfOpen();
        target.hang = false;

        // when
        subscribeAllAtOnce();
        proxies.fakeTime.advance(Duration.ofSeconds(1)); // the retries' waits

        // then
        assertThat(target.subscriptions.get()).isBetween(1, PROBES);
        assertThat(inventory.state()).isEqualTo(BreakerState.OPEN);
    }

    @RepeatedTest(5)
    void probesThatNeverEndAreBoundedByTheHalfOpenMaxWait() throws Exception {
        // given
        halfOpen();
        target.hang = true;
        subscribeAllAtOnce();

        // when nobody cancels, and the half-open wait passes
        proxies.fakeTime.advance(MAX_WAIT);

        // then
        assertThat(inventory.state()).isEqualTo(BreakerState.OPEN);
        subscriptions.forEach(Disposable::dispose);
    }

    private void halfOpen() {
        for (int i = 0; i < 2; i++) {
            long permit = inventory.acquirePermit();
            inventory.onFailure(permit, 1, new IOException("down"));
        }
        assertThat(inventory.state()).isEqualTo(BreakerState.OPEN);
        proxies.fakeTime.advance(OPEN);
        assertThat(inventory.state()).isEqualTo(BreakerState.HALF_OPEN);
    }

    private void subscribeAllAtOnce() throws Exception {
        CountDownLatch ready = new CountDownLatch(SUBSCRIBERS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < SUBSCRIBERS; i++) {
            done.add(threads.submit(() -> {
                ready.countDown();
                go.await();
                subscriptions.add(client.count("sku").subscribe(value -> { }, failure -> {
                    if (failure instanceof BreakerOpenException) {
                        rejected.incrementAndGet();
                    }
                }));
                return null;
            }));
        }
        assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
        go.countDown();
        for (Future<?> each : done) {
            each.get(10, TimeUnit.SECONDS);
        }
    }

    @Breaker("inventory")
    public static class InventoryClient {

        final AtomicInteger subscriptions = new AtomicInteger();
        final AtomicInteger cancelled = new AtomicInteger();
        volatile boolean hang;

        @Retry(maxAttempts = 3, idempotent = true)
        public Mono<Integer> count(String sku) {
            return Mono.defer(() -> {
                subscriptions.incrementAndGet();
                return hang ? Mono.<Integer>never().doOnCancel(cancelled::incrementAndGet)
                        : Mono.error(new IOException("down"));
            });
        }
    }
}
