package dev.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * A time window under the highest rate this machine reaches, from every core at once, for
 * {@code -Dresilience.stress.seconds} (60 by default): its counts are exact. The clock stands still, so every call
 * lands in one bucket and the bucket's counters take the whole volume.
 */
class TimeWindowStressTests {

    private static final long SECONDS = Long.getLong("resilience.stress.seconds", 60);

    @Test
    void aTimeWindowCountsExactlyAtTheHighestRateForAMinute() throws Exception {
        FakeTime time = new FakeTime();
        CircuitBreaker breaker = CircuitBreaker.of("search", BreakerConfig.builder()
                .windowType(BreakerConfig.WindowType.TIME).windowDuration(Duration.ofHours(1)).minimumCalls(1_000)
                .failureRateThreshold(100).slowCallDuration(Duration.ofSeconds(1)).build(), time);
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        long[] successes = new long[threads];
        long[] failures = new long[threads];
        long[] slows = new long[threads];
        RuntimeException failure = new RuntimeException("500");
        long slow = Duration.ofSeconds(2).toNanos();
        CountDownLatch start = new CountDownLatch(1);
        long deadline = System.nanoTime() + Duration.ofSeconds(SECONDS).toNanos();
        List<Thread> racers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int me = t;
            racers.add(new Thread(() -> {
                awaitQuietly(start);
                for (long i = 0; ; i++) {
                    if ((i & 0xFFFF) == 0 && System.nanoTime() - deadline > 0) {
                        return;
                    }
                    long permit = breaker.acquirePermit();
                    if (i % 1_000 == 999) {
                        breaker.onFailure(permit, slow, failure);
                        failures[me]++;
                        slows[me]++;
                    } else {
                        breaker.onSuccess(permit, 0);
                        successes[me]++;
                    }
                }
            }));
        }
        racers.forEach(Thread::start);
        start.countDown();
        for (Thread racer : racers) {
            racer.join();
        }

        long calls = 0;
        long failed = 0;
        long slowCalls = 0;
        for (int t = 0; t < threads; t++) {
            calls += successes[t] + failures[t];
            failed += failures[t];
            slowCalls += slows[t];
        }
        BreakerSnapshot snapshot = breaker.snapshot();
        System.out.printf("time window stress: %d calls in %d s on %d threads (%.1f M calls/s)%n", calls, SECONDS,
                threads, calls / (SECONDS * 1e6));
        assertThat(snapshot.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(snapshot.bufferedCalls()).isEqualTo(calls);
        assertThat(snapshot.failedCalls()).isEqualTo(failed);
        assertThat(snapshot.slowCalls()).isEqualTo(slowCalls);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
