package dev.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A dependency's retry budget: retries may add a share of the first attempts, plus a floor, over a window. */
class RetryBudgetTests {

    private final FakeTime time = new FakeTime();

    private RetryBudget budget(double ratio, int perSecond, Duration window) {
        return RetryBudget.of("payments", new BudgetConfig(true, ratio, perSecond, window), time);
    }

    private void firstAttempts(RetryBudget budget, int count) {
        for (int i = 0; i < count; i++) {
            budget.firstAttempt(time.nanoTime());
        }
    }

    private int retriesAllowed(RetryBudget budget) {
        int allowed = 0;
        while (budget.tryRetry(time.nanoTime())) {
            allowed++;
        }
        return allowed;
    }

    @Test
    void retriesMayAddTheRatioOfFirstAttemptsPlusTheFloorOverTheWindow() {
        RetryBudget budget = budget(0.2, 10, Duration.ofSeconds(10));
        firstAttempts(budget, 1_000);

        assertThat(budget.available()).isEqualTo(300.0); // 0.2 × 1000 + 10 × 10
        assertThat(retriesAllowed(budget)).isEqualTo(300);
        assertThat(budget.available()).isZero();
    }

    @Test
    void theWindowSlidesFirstAttemptsAndRetriesThatLeftItNoLongerCount() {
        RetryBudget budget = budget(1.0, 0, Duration.ofSeconds(10));
        firstAttempts(budget, 10);
        assertThat(retriesAllowed(budget)).isEqualTo(10);

        time.advance(Duration.ofSeconds(5));
        firstAttempts(budget, 4);
        assertThat(retriesAllowed(budget)).isEqualTo(4);

        time.advance(Duration.ofSeconds(6)); // the first 10 and their 10 retries have left the window
        assertThat(budget.available()).isZero();
        firstAttempts(budget, 3);
        assertThat(retriesAllowed(budget)).isEqualTo(3);

        time.advance(Duration.ofSeconds(20));
        assertThat(budget.available()).isZero();
    }

    @Test
    void theFloorAllowsRetriesWithoutTraffic() {
        RetryBudget budget = budget(0.2, 10, Duration.ofSeconds(10));

        assertThat(retriesAllowed(budget)).isEqualTo(100);
    }

    @Test
    void ratioZeroAndFloorZeroAllowNoRetry() {
        RetryBudget budget = budget(0, 0, Duration.ofSeconds(10));
        firstAttempts(budget, 1_000);

        assertThat(budget.tryRetry(time.nanoTime())).isFalse();
    }

    @Test
    void aDisabledBudgetAllowsEveryRetry() {
        RetryBudget budget = RetryBudget.of("payments", new BudgetConfig(false, 0, 0, Duration.ofSeconds(10)), time);

        assertThat(retriesAllowedUpTo(budget, 10_000)).isEqualTo(10_000);
    }

    private int retriesAllowedUpTo(RetryBudget budget, int most) {
        int allowed = 0;
        while (allowed < most && budget.tryRetry(time.nanoTime())) {
            allowed++;
        }
        return allowed;
    }

    @Test
    void concurrentDrawsNeverOvershootByMoreThanTheRacingThreads() throws Exception {
        int threads = 8;
        for (int round = 0; round < 200; round++) {
            RetryBudget budget = budget(0.5, 0, Duration.ofSeconds(10));
            firstAttempts(budget, 100); // 50 retries available
            AtomicInteger allowed = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> racers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                racers.add(new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                    for (int i = 0; i < 20; i++) {
                        if (budget.tryRetry(time.nanoTime())) {
                            allowed.incrementAndGet();
                        }
                    }
                }));
            }
            racers.forEach(Thread::start);
            start.countDown();
            for (Thread racer : racers) {
                racer.join();
            }

            assertThat(allowed.get()).as("round %d", round).isBetween(50, 50 + threads - 1);
        }
    }

    @Test
    void badSettingsFailNamingTheSettingAndWhatIsAllowed() {
        assertThatThrownBy(() -> new BudgetConfig(true, 11, 10, Duration.ofSeconds(10)))
                .hasMessage("'ratio' must be between 0 and 10, but was 11.0");
        assertThatThrownBy(() -> new BudgetConfig(true, 0.2, -1, Duration.ofSeconds(10)))
                .hasMessage("'min-retries-per-second' must be 0 or more, but was -1");
        assertThatThrownBy(() -> new BudgetConfig(true, 0.2, 10, Duration.ofMillis(500)))
                .hasMessage("'window' must be between 1s and 60s, but was 500ms");
    }

    @Test
    void aGuardAsksTheBudgetLastAndEndsTheOperationWithItsFailureWhenRefused() {
        RetryBudget budget = budget(0, 1, Duration.ofSeconds(1)); // one retry in the window, then none
        Recorder recorder = new Recorder();
        Guard guard = Guard.builder("PaymentClient.charge").budget(budget).listener(recorder).timeSource(time)
                .random(() -> 0.0).retry(RetryPolicy.builder().maxAttempts(3).idempotent(true).build()).build();
        AtomicInteger calls = new AtomicInteger();
        IOException failure = new IOException("503");

        Throwable thrown = catchThrowable(() -> guard.call(() -> {
            calls.incrementAndGet();
            throw failure;
        }));

        assertThat(thrown).isSameAs(failure);
        assertThat(calls).hasValue(2);
        assertThat(recorder.events).containsExactly("attempt 1 failure", "wait 100ms before 2", "attempt 2 failure",
                "denied before 3", "operation failure after 2");
        assertThat(time.sleeps()).as("no thread waits for a retry the budget then refuses")
                .containsExactly(Duration.ofMillis(100));
    }

    @Test
    void everyOperationsFirstAttemptAdmittedByTheBreakerCountsInTheBudget() throws Exception {
        RetryBudget budget = budget(1.0, 0, Duration.ofSeconds(10));
        CircuitBreaker breaker = CircuitBreaker.of("payments", BreakerConfig.defaults(), time);
        Guard noRetry = Guard.builder("PaymentClient.status").breaker(breaker).budget(budget).timeSource(time).build();

        for (int i = 0; i < 7; i++) {
            noRetry.call(() -> "ok");
        }
        breaker.forceOpen();
        catchThrowable(() -> noRetry.call(() -> "never"));

        assertThat(budget.available()).as("7 first attempts; a rejection does not count").isEqualTo(7.0);
    }
}
