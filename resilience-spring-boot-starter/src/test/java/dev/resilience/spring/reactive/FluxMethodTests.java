package dev.resilience.spring.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.BreakerConfig;
import dev.resilience.CircuitBreaker;
import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

/** A {@code Flux} method: committed at its first element, timed to it, and a success when cancelled after it. */
class FluxMethodTests {

    private final ReactiveProxies proxies = new ReactiveProxies();
    private final CircuitBreaker events = proxies.breaker("events",
            BreakerConfig.builder().windowSize(10).minimumCalls(10).slowCallDuration(Duration.ofSeconds(1)).build());
    private final EventClient target = new EventClient();
    private final EventClient client = proxies.proxy(target);

    @Test
    void aFluxThatFailsBeforeItsFirstElementIsRetried() {
        // given
        target.failures.set(2);

        // when / then
        StepVerifier.create(client.stream())
                .then(() -> proxies.fakeTime.advance(Duration.ofMillis(300)))
                .expectNext("a", "b")
                .verifyComplete();
        assertThat(target.subscriptions).hasValue(3);
        assertThat(proxies.operations()).containsExactly("EventClient.stream success 3 retried");
    }

    @Test
    void aFluxThatEmittedIsCommittedItsFailureGoesToTheSubscriberAndIsNotRetried() {
        // given a stream that emits one element, then fails
        target.failAfterFirst = true;

        // when / then
        StepVerifier.create(client.stream())
                .expectNext("a")
                .expectError(IOException.class)
                .verify(Duration.ofSeconds(5));
        assertThat(target.subscriptions).hasValue(1);
        assertThat(proxies.fakeTime.pendingTasks()).isZero();
        assertThat(proxies.events).containsExactly("EventClient.stream attempt 1 failure IOException",
                "EventClient.stream failure 1");
        assertThat(events.snapshot().failedCalls()).isEqualTo(1);
    }

    @Test
    void anAttemptLastsUntilItsFirstElementSoALongStreamIsNotASlowCall() {
        // given a stream that takes 100 ms to its first element and 10 s to its end
        TestPublisher<String> publisher = TestPublisher.create();
        target.next = publisher.flux();

        // when
        StepVerifier.create(client.streamWith())
                .then(() -> proxies.fakeTime.advance(Duration.ofMillis(100)))
                .then(() -> publisher.next("a"))
                .expectNext("a")
                .then(() -> proxies.fakeTime.advance(Duration.ofSeconds(10)))
                .then(publisher::complete)
                .verifyComplete();

        // then
        assertThat(proxies.attemptNanos).containsExactly(Duration.ofMillis(100).toNanos());
        assertThat(events.snapshot().slowCalls()).isZero();
        assertThat(proxies.operations()).containsExactly("EventClient.streamWith success 1");
    }

    @Test
    void aFluxCancelledAfterItsFirstElementIsASuccess() {
        // given an endless stream
        target.next = Flux.interval(Duration.ofMillis(1)).map(Object::toString);

        // when
        StepVerifier.create(client.streamWith().take(2)).expectNext("0", "1").verifyComplete();

        // then
        assertThat(proxies.events).containsExactly("EventClient.streamWith attempt 1 success",
                "EventClient.streamWith success 1");
        assertThat(events.snapshot().bufferedCalls()).isEqualTo(1);
    }

    @Test
    void nextOfAFluxIsASuccess() {
        // given
        target.next = Flux.just("x", "y", "z");

        // when / then
        StepVerifier.create(client.streamWith().next()).expectNext("x").verifyComplete();
        assertThat(proxies.operations()).containsExactly("EventClient.streamWith success 1");
    }

    @Test
    void aFluxCancelledBeforeItsFirstElementIsCancelled() {
        // given
        TestPublisher<String> publisher = TestPublisher.create();
        target.next = publisher.flux();

        // when
        StepVerifier.create(client.streamWith()).thenAwait().thenCancel().verify(Duration.ofSeconds(5));

        // then
        publisher.assertCancelled();
        assertThat(proxies.operations()).containsExactly("EventClient.streamWith cancelled 1");
        assertThat(events.snapshot().bufferedCalls()).isZero();
    }

    @Test
    void aRetryOwesTheNextAttemptTheWholeDemand() {
        // given a stream that fails once before any element
        target.failures.set(1);

        // when the subscriber asks for one element, then for the rest
        StepVerifier.create(client.stream(), 1)
                .then(() -> proxies.fakeTime.advance(Duration.ofMillis(100)))
                .expectNext("a")
                .expectNoEvent(Duration.ZERO)
                .thenRequest(1)
                .expectNext("b")
                .verifyComplete();

        // then
        assertThat(target.subscriptions).hasValue(2);
    }

    @Breaker("events")
    public static class EventClient {

        final AtomicInteger subscriptions = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        volatile boolean failAfterFirst;
        volatile Flux<String> next;

        @Retry(maxAttempts = 3, idempotent = true)
        public Flux<String> stream() {
            return Flux.defer(() -> {
                subscriptions.incrementAndGet();
                if (failures.getAndDecrement() > 0) {
                    return Flux.error(new IOException("down"));
                }
                return failAfterFirst ? Flux.concat(Flux.just("a"), Flux.error(new IOException("broke")))
                        : Flux.just("a", "b");
            });
        }

        @Retry(maxAttempts = 3, idempotent = true)
        public Flux<String> streamWith() {
            return next;
        }
    }
}
