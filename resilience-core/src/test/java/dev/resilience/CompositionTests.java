package dev.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The claims the project stands on: the breaker counts real calls, and a rejection is never retried. */
class CompositionTests {

    private final FakeTime time = new FakeTime();
    private final AtomicInteger calls = new AtomicInteger();

    private Object failingCall() throws IOException {
        calls.incrementAndGet();
        throw new IOException("dependency down (call " + calls.get() + ")");
    }

    private CircuitBreaker breaker(int window, double threshold) {
        return CircuitBreaker.of("payments", BreakerConfig.builder()
                .windowSize(window).minimumCalls(window).failureRateThreshold(threshold).build(), time);
    }

    private Guard guard(CircuitBreaker breaker, int attempts) {
        return Guard.builder("PaymentClient.charge").breaker(breaker).timeSource(time).random(() -> 0.0)
                .retry(RetryPolicy.builder().maxAttempts(attempts).idempotent(true).delay(Duration.ofMillis(100))
                        .build())
                .build();
    }

    @Test
    void anAlwaysFailingDependencyGetsExactlyWindowSizeCallsNotThresholdTimesAttempts() {
        // given a breaker of 5 calls at 100 % and a retry of 3 attempts
        CircuitBreaker breaker = breaker(5, 100);
        Guard guard = guard(breaker, 3);

        // when operations run one at a time until the first rejection
        List<Throwable> failures = new ArrayList<>();
        for (int operation = 0; operation < 4; operation++) {
            try {
                guard.call(this::failingCall);
            } catch (Exception ex) {
                failures.add(ex);
            }
        }

        // then 5 calls reached the dependency, not 15
        assertThat(calls).hasValue(5);
        // the first operation used its 3 attempts and got its last failure itself
        assertThat(failures.get(0)).isInstanceOf(IOException.class).hasMessageContaining("call 3");
        // the one in flight when the breaker opened ended with the rejection, its failure as the cause, without waiting
        assertThat(failures.get(1)).isInstanceOf(BreakerOpenException.class).hasCauseInstanceOf(IOException.class);
        assertThat(failures.get(1).getCause()).hasMessageContaining("call 5");
        assertThat(time.sleeps()).as("waits: 2 in the first operation, 1 in the second, none after the 5th call")
                .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(100));
        // later operations are rejected at once
        assertThat(failures.subList(2, 4)).allSatisfy(f -> assertThat(f).isInstanceOf(BreakerOpenException.class));
        assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
    }

    @Test
    void eightAttemptsAgainstAWindowOfFourAtSeventyFivePercentMakeExactlyFourCalls() {
        CircuitBreaker breaker = breaker(4, 75);
        Guard guard = guard(breaker, 8);

        assertThatThrownBy(() -> guard.call(this::failingCall)).isInstanceOf(BreakerOpenException.class);

        assertThat(calls).hasValue(4);
        assertThat(time.sleeps()).hasSize(3);
        assertThat(breaker.snapshot().failedCalls()).isEqualTo(4);
    }

    @Test
    void whileOpenACallerWithALongBackoffFailsAtOnceAndAsksForNoWait() {
        // given an open breaker and a retry that would wait 1 s
        CircuitBreaker breaker = breaker(5, 100);
        for (int i = 0; i < 5; i++) {
            long permit = breaker.acquirePermit();
            breaker.onFailure(permit, 0, new IOException());
        }
        Guard guard = Guard.builder("PaymentClient.charge").breaker(breaker).timeSource(time)
                .retry(RetryPolicy.builder().maxAttempts(5).idempotent(true).delay(Duration.ofSeconds(1))
                        .maxDelay(Duration.ofSeconds(1)).build())
                .build();
        long before = time.nanoTime();

        // when
        assertThatThrownBy(() -> guard.call(this::failingCall)).isInstanceOf(BreakerOpenException.class);

        // then
        assertThat(time.nanoTime() - before).isLessThan(Duration.ofMillis(1).toNanos());
        assertThat(time.sleeps()).isEmpty();
        assertThat(calls).hasValue(0);
    }

    @Test
    void retryAfterIsTheRemainingOpenTimeOnTheClock() {
        CircuitBreaker breaker = CircuitBreaker.of("payments", BreakerConfig.builder().windowSize(1).minimumCalls(1)
                .openDuration(Duration.ofSeconds(30)).build(), time);
        breaker.onFailure(breaker.acquirePermit(), 0, new IOException());

        time.advance(Duration.ofMillis(12_345));
        Throwable rejection = org.assertj.core.api.Assertions.catchThrowable(breaker::acquirePermit);

        assertThat(rejection).isInstanceOfSatisfying(BreakerOpenException.class, open -> {
            assertThat(open.retryAfter()).isEqualTo(Duration.ofMillis(17_655));
            assertThat(open.breakerName()).isEqualTo("payments");
            assertThat(open.state()).isEqualTo(BreakerState.OPEN);
            assertThat(open.getMessage()).isEqualTo("Breaker 'payments' is open; it admits a probe in 17.655s");
            assertThat(open.getStackTrace()).as("no stack trace per rejection by default").isEmpty();
        });
        assertThat(breaker.snapshot().remainingOpen()).isEqualTo(Duration.ofMillis(17_655));
    }

    @Test
    void aRejectionIsNeverRetriedEvenWhenRetryOnListsIt() {
        CircuitBreaker breaker = breaker(5, 100);
        breaker.forceOpen();
        Guard guard = Guard.builder("PaymentClient.charge").breaker(breaker).timeSource(time)
                .retry(RetryPolicy.builder().maxAttempts(5).idempotent(true)
                        .retryOn(List.of(BreakerOpenException.class, RuntimeException.class)).build())
                .build();

        assertThatThrownBy(() -> guard.call(this::failingCall)).isInstanceOf(BreakerOpenException.class)
                .hasMessage("Breaker 'payments' is forced_open; it rejects every call until it is closed or reset");
        assertThat(time.sleeps()).isEmpty();
        assertThat(calls).hasValue(0);
    }

    @Test
    void theCallerGetsTheLastFailureItselfUnwrapped() {
        Guard guard = Guard.builder("Client.read").timeSource(time)
                .retry(RetryPolicy.builder().maxAttempts(3).idempotent(true).build()).build();
        List<IOException> thrown = new ArrayList<>();

        Throwable caught = org.assertj.core.api.Assertions.catchThrowable(() -> guard.call(() -> {
            IOException failure = new IOException("attempt " + (thrown.size() + 1));
            thrown.add(failure);
            throw failure;
        }));

        assertThat(caught).isSameAs(thrown.get(2));
    }

    @Test
    void anErrorIsNotRetriedByDefaultAndReachesTheCallerAsItIs() {
        Guard guard = Guard.builder("Client.read").timeSource(time)
                .retry(RetryPolicy.builder().maxAttempts(3).idempotent(true).build()).build();
        StackOverflowError error = new StackOverflowError("deep");

        assertThatThrownBy(() -> guard.call(() -> {
            calls.incrementAndGet();
            throw error;
        })).isSameAs(error);
        assertThat(calls).hasValue(1);
    }
}
