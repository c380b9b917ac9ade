package dev.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A time window counts exactly at any volume a JVM makes, and forgets what has left it. */
class TimeWindowTests {

    private final FakeTime time = new FakeTime();

    private CircuitBreaker timeBreaker() {
        return CircuitBreaker.of("search", BreakerConfig.builder().windowType(BreakerConfig.WindowType.TIME)
                .windowDuration(Duration.ofSeconds(60)).minimumCalls(1).failureRateThreshold(50).build(), time);
    }

    @Test
    void volumeABucketPastTwentyOneBitsOfCallsStillCountsExactlyAndNeverInventsAFailure() {
        CircuitBreaker breaker = timeBreaker();
        int calls = 10 * (1 << 21) + 1; // ten times what a 21-bit field holds, all in one bucket

        for (int i = 0; i < calls; i++) {
            breaker.onSuccess(breaker.acquirePermit(), 0);
        }

        BreakerSnapshot snapshot = breaker.snapshot();
        assertThat(snapshot.bufferedCalls()).isEqualTo(calls);
        assertThat(snapshot.failedCalls()).isZero();
        assertThat(snapshot.state()).isEqualTo(BreakerState.CLOSED);
    }

    @Test
    void ratesAtAVolumeBeyondTheTallyAreScaledAndTheBreakerOpensAtExactlyItsThreshold() {
        CircuitBreaker breaker = timeBreaker();
        for (int i = 0; i < 3_000_000; i++) {
            breaker.onSuccess(breaker.acquirePermit(), 0);
        }
        IllegalStateException failure = new IllegalStateException("500");
        int failures = 0;
        while (breaker.state() == BreakerState.CLOSED && failures < 4_000_000) {
            breaker.onFailure(breaker.acquirePermit(), 0, failure);
            failures++;
            if (failures == 2_000_000) {
                assertThat(breaker.snapshot().failureRate()).isEqualTo(40.0);
            }
        }

        assertThat(failures).as("opens when failures reach 50 % of 6,000,000 calls").isEqualTo(3_000_000);
    }

    @Test
    void callsThatLeftTheWindowNoLongerCount() {
        CircuitBreaker breaker = timeBreaker();
        breaker.onSuccess(breaker.acquirePermit(), 0);
        time.advance(Duration.ofSeconds(30));
        breaker.onSuccess(breaker.acquirePermit(), 0);
        assertThat(breaker.snapshot().bufferedCalls()).isEqualTo(2);

        time.advance(Duration.ofSeconds(33));
        assertThat(breaker.snapshot().bufferedCalls()).isEqualTo(1);

        time.advance(Duration.ofSeconds(30));
        assertThat(breaker.snapshot().bufferedCalls()).isZero();
    }
}
