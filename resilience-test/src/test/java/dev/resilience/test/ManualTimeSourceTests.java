package dev.resilience.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ManualTimeSourceTests {

    private final ManualTimeSource time = new ManualTimeSource();

    @Test
    void theClockMovesOnlyWhenAdvanced() {
        long start = time.nanoTime();

        time.advance(Duration.ofMillis(250));
        time.advance(1, TimeUnit.SECONDS);

        assertThat(time.nanoTime() - start).isEqualTo(1_250_000_000L);
    }

    @Test
    void aSleepIsRecordedAndAdvancesTheClockAtOnce() {
        long start = time.nanoTime();

        time.sleep(100_000_000L);
        time.sleep(200_000_000L);

        assertThat(time.sleeps()).containsExactly(100_000_000L, 200_000_000L);
        assertThat(time.waits()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(time.nanoTime() - start).isEqualTo(300_000_000L);
    }

    @Test
    void scheduledTasksRunInTimeOrderWhenTheClockReachesThem() {
        List<String> ran = new ArrayList<>();
        long start = time.nanoTime();
        time.schedule(() -> ran.add("second at " + (time.nanoTime() - start)), 200);
        time.schedule(() -> ran.add("first at " + (time.nanoTime() - start)), 100);

        time.advance(99);
        assertThat(ran).isEmpty();
        assertThat(time.pendingTasks()).isEqualTo(2);

        time.advance(1_000);
        assertThat(ran).containsExactly("first at 100", "second at 200");
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void aTaskMayScheduleAnotherThatRunsInTheSameAdvanceWhenDue() {
        List<String> ran = new ArrayList<>();
        time.schedule(() -> time.schedule(() -> ran.add("retry"), 50), 50);

        time.advance(100);

        assertThat(ran).containsExactly("retry");
    }

    @Test
    void theNextSleepRunsItsActionOnce() {
        List<String> ran = new ArrayList<>();
        time.onNextSleep(() -> ran.add("restarted"));

        time.sleep(10);
        time.sleep(10);

        assertThat(ran).containsExactly("restarted");
    }

    @Test
    void clearForgetsWaitsAndTasksButKeepsTheTime() {
        time.sleep(10);
        time.schedule(() -> { }, 10);
        long now = time.nanoTime();

        time.clear();

        assertThat(time.sleeps()).isEmpty();
        assertThat(time.pendingTasks()).isZero();
        assertThat(time.nanoTime()).isEqualTo(now);
    }

    @Test
    void theClockNeverGoesBack() {
        assertThatIllegalArgumentException().isThrownBy(() -> time.advance(-1))
                .withMessageContaining("advance by -1 ns");
    }
}
