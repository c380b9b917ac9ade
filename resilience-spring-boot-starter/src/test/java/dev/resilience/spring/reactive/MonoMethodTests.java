package dev.resilience.spring.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.BreakerConfig;
import dev.resilience.BreakerOpenException;
import dev.resilience.CircuitBreaker;
import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;

/** A {@code Mono} method through the starter's proxy: each subscription one operation, each attempt one subscription. */
class MonoMethodTests {

    private static final long MS = 1_000_000L;

    private final ReactiveProxies proxies = new ReactiveProxies();
    private final CircuitBreaker shipping = proxies.breaker("shipping",
            BreakerConfig.builder().windowSize(4).minimumCalls(4).failureRateThreshold(100).build());
    private final ShippingClient target = new ShippingClient();
    private final ShippingClient client = proxies.proxy(target);

    @Test
    void aMonoMethodIsNoLongerRecordedWhenItReturnsItsMono() {
        // given a dependency that always fails
        target.failures.set(Integer.MAX_VALUE);

        // when the method is called, but its Mono not subscribed to
        Mono<String> parcel = client.track("p1");

        // then nothing is recorded, and nothing reached the dependency
        assertThat(proxies.events).isEmpty();
        assertThat(shipping.snapshot().bufferedCalls()).isZero();
        assertThat(target.subscriptions).hasValue(0);

        // when it is subscribed to
        StepVerifier.create(parcel).expectError(IOException.class).verify(Duration.ofSeconds(5));

        // then the failure reached the breaker
        assertThat(shipping.snapshot().failedCalls()).isEqualTo(1);
        assertThat(proxies.operations()).containsExactly("ShippingClient.track failure 1");
    }

    @Test
    void eachSubscriptionIsOneOperationOfTheOneCall() {
        // given
        Mono<String> parcel = client.track("p1");

        // when
        StepVerifier.create(parcel).expectNext("parcel p1").verifyComplete();
        StepVerifier.create(parcel).expectNext("parcel p1").verifyComplete();

        // then the method ran once, its Mono was subscribed to twice, and each subscription was an operation
        assertThat(target.calls).hasValue(1);
        assertThat(target.subscriptions).hasValue(2);
        assertThat(proxies.operations()).containsExactly("ShippingClient.track success 1",
                "ShippingClient.track success 1");
        assertThat(shipping.snapshot().bufferedCalls()).isEqualTo(2);
    }

    @Test
    void aRetryResubscribesTheMethodsMonoAfterANonBlockingWait() {
        // given a dependency that fails twice
        target.failures.set(2);

        // when
        StepVerifier.create(client.trackWithRetries("p1"))
                .then(() -> proxies.fakeTime.advance(Duration.ofMillis(100)))
                .then(() -> proxies.fakeTime.advance(Duration.ofMillis(200)))
                .expectNext("parcel p1")
                .verifyComplete();

        // then three subscriptions of the one Mono, the waits scheduled on the time source, none slept
        assertThat(target.calls).hasValue(1);
        assertThat(target.subscriptions).hasValue(3);
        assertThat(proxies.fakeTime.sleeps()).isEmpty();
        assertThat(proxies.events).containsExactly(
                "ShippingClient.trackWithRetries attempt 1 failure IOException",
                "ShippingClient.trackWithRetries attempt 2 failure IOException",
                "ShippingClient.trackWithRetries attempt 3 success",
                "ShippingClient.trackWithRetries success 3 retried");
        assertThat(shipping.snapshot().failedCalls()).isEqualTo(2);
    }

    @Test
    void noAttemptStartsBeforeItsWaitIsOver() {
        // given
        target.failures.set(1);
        List<String> seen = new CopyOnWriteArrayList<>();

        // when
        client.trackWithRetries("p1").subscribe(seen::add);
        proxies.fakeTime.advance(Duration.ofMillis(99));

        // then
        assertThat(target.subscriptions).hasValue(1);
        assertThat(seen).isEmpty();

        // when
        proxies.fakeTime.advance(Duration.ofMillis(1));

        // then
        assertThat(target.subscriptions).hasValue(2);
        assertThat(seen).containsExactly("parcel p1");
    }

    @Test
    void aRejectionIsSignalledWithoutSubscribingToTheMethodsMono() {
        // given
        PublisherProbe<String> probe = PublisherProbe.of(Mono.just("parcel"));
        target.next = probe.mono();
        shipping.forceOpen();

        // when / then
        StepVerifier.create(client.trackWith()).expectError(BreakerOpenException.class).verify(Duration.ofSeconds(5));
        probe.assertWasNotSubscribed();
        assertThat(proxies.operations()).containsExactly("ShippingClient.trackWith rejected 1");
    }

    @Test
    void aRejectionIsNeverRetried() {
        // given a breaker that opens at the first failure of a retried call
        CircuitBreaker strict = proxies.breaker("strict",
                BreakerConfig.builder().windowSize(1).minimumCalls(1).failureRateThreshold(100).build());
        target.failures.set(Integer.MAX_VALUE);

        // when / then: the retry would follow, but the breaker rejects it at once, without a wait
        StepVerifier.create(client.trackStrictly("p1"))
                .expectErrorSatisfies(failure -> assertThat(failure).isInstanceOf(BreakerOpenException.class)
                        .hasCauseInstanceOf(IOException.class))
                .verify(Duration.ofSeconds(5));
        assertThat(target.subscriptions).hasValue(1);
        assertThat(proxies.fakeTime.pendingTasks()).isZero();
        assertThat(strict.snapshot().failedCalls()).isEqualTo(1);
    }

    @Test
    void thePermitIsAskedAtSubscriptionNotAtTheCall() {
        // given a call made while the breaker is open
        shipping.forceOpen();
        Mono<String> parcel = client.track("p1");

        // when it closes before the subscription
        shipping.reset();

        // then the subscription is admitted
        StepVerifier.create(parcel).expectNext("parcel p1").verifyComplete();
    }

    @Test
    void anEmptyMonoIsASuccess() {
        // given
        target.next = Mono.empty();

        // when / then
        StepVerifier.create(client.trackWith()).verifyComplete();
        assertThat(proxies.operations()).containsExactly("ShippingClient.trackWith success 1");
        assertThat(shipping.snapshot().bufferedCalls()).isEqualTo(1);
    }

    @Test
    void aMethodThatThrowsGivesAFailedFirstAttemptAndARetryCallsItAgain() {
        // given a method that throws at its first call, then returns a Mono
        target.throwsFirst.set(1);

        // when
        Mono<String> parcel = client.trackOrThrow("p1");

        // then it is called once, at the call, and nothing is recorded yet
        assertThat(target.calls).hasValue(1);
        assertThat(proxies.events).isEmpty();

        // when
        StepVerifier.create(parcel)
                .then(() -> proxies.fakeTime.advance(Duration.ofMillis(100)))
                .expectNext("parcel p1")
                .verifyComplete();

        // then
        assertThat(target.calls).hasValue(2);
        assertThat(proxies.events).containsExactly(
                "ShippingClient.trackOrThrow attempt 1 failure IllegalStateException",
                "ShippingClient.trackOrThrow attempt 2 success",
                "ShippingClient.trackOrThrow success 2 retried");
    }

    @Test
    void aMethodThatReturnsNullGivesAFailedFirstAttemptNamingIt() {
        // given
        target.next = null;

        // when / then
        StepVerifier.create(client.trackWith())
                .expectErrorSatisfies(failure -> assertThat(failure).isInstanceOf(NullPointerException.class)
                        .hasMessage("ShippingClient.trackWith returned null instead of a Mono at attempt 1;"
                                + " return Mono.empty() for no value"))
                .verify(Duration.ofSeconds(5));
        assertThat(proxies.operations()).containsExactly("ShippingClient.trackWith failure 1");
    }

    @Test
    void theSubscribersContextIsVisibleToEveryAttempt() {
        // given
        target.failures.set(2);

        // when
        StepVerifier.create(client.trackForTenant().contextWrite(context -> context.put("tenant", "acme")))
                .then(() -> proxies.fakeTime.advance(Duration.ofMillis(300)))
                .expectNext("acme")
                .verifyComplete();

        // then
        assertThat(target.tenants).containsExactly("acme", "acme", "acme");
    }

    @Test
    void aThrownCancellationExceptionIsAFailureLikeAnyOther() {
        // given
        target.next = Mono.error(new CancellationException("the dependency cancelled"));

        // when / then
        StepVerifier.create(client.trackWith()).expectError(CancellationException.class).verify(Duration.ofSeconds(5));
        assertThat(proxies.events).containsExactly("ShippingClient.trackWith attempt 1 failure CancellationException",
                "ShippingClient.trackWith failure 1");
        assertThat(shipping.snapshot().failedCalls()).isEqualTo(1);
    }

    @Test
    void cancellingTheSubscriptionCancelsTheAttemptAndCountsItAsNeither() {
        // given an attempt that never ends
        PublisherProbe<String> probe = PublisherProbe.of(Mono.never());
        target.next = probe.mono();

        // when
        StepVerifier.create(client.trackWith()).thenAwait().thenCancel().verify(Duration.ofSeconds(5));

        // then
        probe.assertWasCancelled();
        assertThat(proxies.events).containsExactly("ShippingClient.trackWith attempt 1 cancelled",
                "ShippingClient.trackWith cancelled 1");
        assertThat(shipping.snapshot().bufferedCalls()).isZero();
    }

    @Test
    void cancellingDuringTheWaitStartsNoOtherAttempt() {
        // given
        target.failures.set(Integer.MAX_VALUE);

        // when
        StepVerifier.create(client.trackWithRetries("p1")).thenAwait().thenCancel().verify(Duration.ofSeconds(5));
        proxies.fakeTime.advance(Duration.ofSeconds(10));

        // then
        assertThat(target.subscriptions).hasValue(1);
        assertThat(proxies.events).containsExactly("ShippingClient.trackWithRetries attempt 1 failure IOException",
                "ShippingClient.trackWithRetries cancelled 1");
    }

    @Test
    void theSubscribersDemandIsHonoured() {
        // when / then: nothing is emitted before the subscriber asks
        StepVerifier.create(client.track("p1"), 0)
                .expectSubscription()
                .expectNoEvent(Duration.ZERO)
                .thenRequest(1)
                .expectNext("parcel p1")
                .verifyComplete();
    }

    @Test
    void theWaitsFollowTheBackoff() {
        // given
        target.failures.set(Integer.MAX_VALUE);

        // when
        StepVerifier.create(client.trackWithRetries("p1"))
                .then(() -> proxies.fakeTime.advance(100 * MS))
                .then(() -> proxies.fakeTime.advance(199 * MS))
                .then(() -> assertThat(target.subscriptions).hasValue(2))
                .then(() -> proxies.fakeTime.advance(MS))
                .expectError(IOException.class)
                .verify(Duration.ofSeconds(5));

        // then
        assertThat(target.subscriptions).hasValue(3);
    }

    /** A guarded bean whose Monos count their subscriptions. */
    @Breaker("shipping")
    public static class ShippingClient {

        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger subscriptions = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        final AtomicInteger throwsFirst = new AtomicInteger();
        final List<String> tenants = new CopyOnWriteArrayList<>();
        volatile Mono<String> next;

        public Mono<String> track(String id) {
            calls.incrementAndGet();
            return parcel(id);
        }

        @Retry(maxAttempts = 3, idempotent = true)
        public Mono<String> trackWithRetries(String id) {
            calls.incrementAndGet();
            return parcel(id);
        }

        @Breaker("strict")
        @Retry(maxAttempts = 3, idempotent = true)
        public Mono<String> trackStrictly(String id) {
            return parcel(id);
        }

        public Mono<String> trackWith() {
            return next;
        }

        @Retry(maxAttempts = 3, idempotent = true)
        public Mono<String> trackOrThrow(String id) {
            calls.incrementAndGet();
            if (throwsFirst.getAndDecrement() > 0) {
                throw new IllegalStateException("no client yet");
            }
            return parcel(id);
        }

        @Retry(maxAttempts = 3, idempotent = true)
        public Mono<String> trackForTenant() {
            return Mono.deferContextual(context -> {
                String tenant = context.get("tenant");
                tenants.add(tenant);
                return failures.getAndDecrement() > 0 ? Mono.error(new IOException("down")) : Mono.just(tenant);
            });
        }

        private Mono<String> parcel(String id) {
            return Mono.defer(() -> {
                subscriptions.incrementAndGet();
                return failures.getAndDecrement() > 0 ? Mono.error(new IOException("down"))
                        : Mono.just("parcel " + id);
            });
        }
    }
}
