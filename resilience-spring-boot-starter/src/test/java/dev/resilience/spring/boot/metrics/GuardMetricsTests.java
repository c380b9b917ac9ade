package dev.resilience.spring.boot.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.BreakerConfig;
import dev.resilience.BreakerOpenException;
import dev.resilience.CircuitBreaker;
import dev.resilience.Guard;
import dev.resilience.RetryPolicy;
import dev.resilience.spring.GuardedMethod;
import dev.resilience.test.ManualTimeSource;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GuardMetricsTests {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ManualTimeSource time = new ManualTimeSource();

    private final RetryPolicy threeAttempts = RetryPolicy.builder().maxAttempts(3).idempotent(true)
            .delay(Duration.ofMillis(100)).multiplier(2).jitter(0.5).build();

    @Test
    void everyAttemptAndEveryOperationIsCountedUnderItsOutcome() {
        // given a method with a retry and no breaker, against a dependency that always fails after 40 ms
        Guard guard = guard("PaymentClient.charge", GuardedMethod.NO_BREAKER, threeAttempts, null);

        // when two operations run
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> guard.call(failingAfter(Duration.ofMillis(40)))).isInstanceOf(IOException.class);
        }

        // then 6 failed attempts of 40 ms each, and 2 failed retried operations of 3 x 40 ms + 100 ms + 200 ms
        Timer failedAttempts = attempts("PaymentClient.charge", "none", "failure");
        assertThat(failedAttempts.count()).isEqualTo(6);
        assertThat(failedAttempts.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(240);
        assertThat(attempts("PaymentClient.charge", "none", "success").count()).isZero();
        Timer failedOperations = operations("PaymentClient.charge", "none", "failure", true);
        assertThat(failedOperations.count()).isEqualTo(2);
        assertThat(failedOperations.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(2 * (120 + 300));
        assertThat(operations("PaymentClient.charge", "none", "failure", false).count()).isZero();
    }

    @Test
    void waitsBetweenAttemptsAreRecordedAsAskedOfTheClock() {
        // given
        Guard guard = guard("PaymentClient.charge", GuardedMethod.NO_BREAKER, threeAttempts, null);

        // when
        assertThatThrownBy(() -> guard.call(failingAfter(Duration.ZERO))).isInstanceOf(IOException.class);

        // then
        Timer waits = meters.get("resilience.retry.waits").tags("method", "PaymentClient.charge", "breaker", "none",
                "reason", "backoff").timer();
        assertThat(waits.count()).isEqualTo(2);
        assertThat(waits.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(time.sleeps().stream().mapToLong(l -> l).sum())
                .isEqualTo(Duration.ofMillis(300).toNanos());
    }

    @Test
    void aSuccessAfterARetryIsARetriedSuccessfulOperation() throws Exception {
        // given a dependency that fails once, then answers
        Guard guard = guard("QuoteClient.quote", GuardedMethod.NO_BREAKER, threeAttempts, null);
        AtomicInteger calls = new AtomicInteger();

        // when
        String answer = guard.call(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IOException("connection reset");
            }
            return "quote";
        });

        // then
        assertThat(answer).isEqualTo("quote");
        assertThat(attempts("QuoteClient.quote", "none", "failure").count()).isEqualTo(1);
        assertThat(attempts("QuoteClient.quote", "none", "success").count()).isEqualTo(1);
        assertThat(operations("QuoteClient.quote", "none", "success", true).count()).isEqualTo(1);
        assertThat(operations("QuoteClient.quote", "none", "success", false).count()).isZero();
    }

    @Test
    void theBreakerCountsEveryAttemptAndItsRejectionEndsTheNextOperationAtOnce() {
        // given a breaker that opens after 3 failed calls, under a retry of 3 attempts
        CircuitBreaker breaker = CircuitBreaker.of("payments",
                BreakerConfig.builder().windowSize(3).minimumCalls(3).failureRateThreshold(100).build(), time);
        Guard guard = guard("PaymentClient.charge", "payments", threeAttempts, breaker);

        // when two operations run
        assertThatThrownBy(() -> guard.call(failingAfter(Duration.ofMillis(10)))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> guard.call(failingAfter(Duration.ofMillis(10))))
                .isInstanceOf(BreakerOpenException.class);

        // then 3 real attempts failed and the 4th was rejected; one operation failed after retries, one was rejected
        assertThat(attempts("PaymentClient.charge", "payments", "failure").count()).isEqualTo(3);
        assertThat(attempts("PaymentClient.charge", "payments", "rejected").count()).isEqualTo(1);
        assertThat(operations("PaymentClient.charge", "payments", "failure", true).count()).isEqualTo(1);
        assertThat(operations("PaymentClient.charge", "payments", "rejected", false).count()).isEqualTo(1);
    }

    @Test
    void aFailureTheBreakerIgnoresIsAnIgnoredAttempt() {
        // given
        CircuitBreaker breaker = CircuitBreaker.of("payments",
                BreakerConfig.builder().ignoreExceptions(List.of(IllegalStateException.class)).build(), time);
        Guard guard = guard("PaymentClient.charge", "payments", RetryPolicy.none(), breaker);

        // when
        assertThatThrownBy(() -> guard.call(() -> {
            throw new IllegalStateException("declined");
        })).isInstanceOf(IllegalStateException.class);

        // then
        assertThat(attempts("PaymentClient.charge", "payments", "ignored").count()).isEqualTo(1);
        assertThat(operations("PaymentClient.charge", "payments", "failure", false).count()).isEqualTo(1);
    }

    @Test
    void everySeriesOfAMethodExistsAtZeroBeforeItsFirstCall() {
        // when
        new GuardMetrics(meters).create(method("PaymentClient.charge", "payments"));

        // then
        for (String outcome : List.of("success", "failure", "rejected", "ignored")) {
            assertThat(attempts("PaymentClient.charge", "payments", outcome).count()).isZero();
        }
        for (String outcome : List.of("success", "failure", "rejected")) {
            assertThat(operations("PaymentClient.charge", "payments", outcome, false).count()).isZero();
            assertThat(operations("PaymentClient.charge", "payments", outcome, true).count()).isZero();
        }
        assertThat(meters.find("resilience.operations").tag("outcome", "ignored").meters()).isEmpty();
        assertThat(meters.find("resilience.retry.waits").timers()).extracting(t -> t.getId().getTag("reason"))
                .containsExactlyInAnyOrder("backoff", "pushback");
        assertThat(meters.find("resilience.retry.budget.denied").tag("breaker", "payments").counter()).isNotNull();
        assertThat(meters.find("resilience.fallbacks").meters()).as("no @Fallback on this method").isEmpty();
        assertThat(meters.find("resilience.attempts").tag("outcome", "cancelled").meters())
                .as("not an asynchronous method").isEmpty();
    }

    @Test
    void aMethodWithoutBreakerHasNoSeriesForRejectedAttempts() {
        // when
        new GuardMetrics(meters).create(method("Mailer.send", GuardedMethod.NO_BREAKER));

        // then
        assertThat(meters.find("resilience.attempts").tags("method", "Mailer.send").timers())
                .extracting(t -> t.getId().getTag("outcome"))
                .as("an Error or an interrupt is an ignored attempt, with a breaker or without")
                .containsExactlyInAnyOrder("success", "failure", "ignored");
        assertThat(meters.find("resilience.operations").tags("method", "Mailer.send").timers())
                .extracting(t -> t.getId().getTag("outcome") + "/" + t.getId().getTag("retried"))
                .as("an inner breaker's rejection ends an operation as rejected, with a breaker or without")
                .containsExactlyInAnyOrder("success/false", "success/true", "failure/false", "failure/true",
                        "rejected/false", "rejected/true");
    }

    @Test
    void recordingRegistersNoMeterAndTagsCarryNoFailureMessage() {
        // given
        Guard guard = guard("PaymentClient.charge", GuardedMethod.NO_BREAKER, threeAttempts, null);
        List<Meter> before = meters.getMeters();

        // when
        assertThatThrownBy(() -> guard.call(failingAfter(Duration.ZERO))).isInstanceOf(IOException.class);

        // then
        assertThat(meters.getMeters()).containsExactlyInAnyOrderElementsOf(before);
        assertThat(meters.getMeters()).flatExtracting(m -> m.getId().getTags())
                .noneMatch(tag -> tag.getValue().contains("connection refused"));
    }

    @Test
    void everyMeterHasADescription() {
        // when
        new GuardMetrics(meters).create(method("PaymentClient.charge", "payments"));

        // then
        assertThat(meters.getMeters()).isNotEmpty().allSatisfy(m -> assertThat(m.getId().getDescription()).isNotBlank());
    }

    private Guard guard(String methodTag, String breakerTag, RetryPolicy retry, CircuitBreaker breaker) {
        return Guard.builder(methodTag).retry(retry).breaker(breaker).timeSource(time).random(() -> 0.0)
                .listener(new GuardMetrics(meters).create(method(methodTag, breakerTag))).build();
    }

    private java.util.concurrent.Callable<String> failingAfter(Duration duration) {
        return () -> {
            time.advance(duration);
            throw new IOException("connection refused");
        };
    }

    private static GuardedMethod method(String methodTag, String breakerTag) {
        return new GuardedMethod(methodTag, breakerTag, Object.class.getMethods()[0], Object.class);
    }

    private Timer attempts(String method, String breaker, String outcome) {
        return meters.get("resilience.attempts").tags("method", method, "breaker", breaker, "outcome", outcome)
                .timer();
    }

    private Timer operations(String method, String breaker, String outcome, boolean retried) {
        return meters.get("resilience.operations")
                .tags("method", method, "breaker", breaker, "outcome", outcome, "retried", Boolean.toString(retried))
                .timer();
    }
}
