package dev.resilience.spring.boot.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.GuardListener;
import dev.resilience.Outcome;
import dev.resilience.WaitReason;
import dev.resilience.spring.GuardedMethod;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Recording an attempt and an operation looks nothing up and builds nothing: measured in bytes allocated by the
 * calling thread, it costs no more than Micrometer's own timers (nothing, for the simple registry's).
 */
class RecordingAllocationTests {

    private static final int WARM_UP = 200_000;
    private static final int MEASURED = 200_000;

    @Test
    void recordingACallAllocatesNothingOfItsOwn() {
        // given
        GuardListener listener = new GuardMetrics(new SimpleMeterRegistry()).create(new GuardedMethod(
                "PaymentClient.charge", "payments", Object.class.getMethods()[0], Object.class));
        IOException failure = new IOException("refused");

        // when
        long bytes = bytesPerCall(() -> {
            listener.onAttempt(1, Outcome.FAILURE, 1_000, failure);
            listener.onRetryWait(2, 100_000, WaitReason.BACKOFF);
            listener.onAttempt(2, Outcome.SUCCESS, 1_000, null);
            listener.onOperation(Outcome.SUCCESS, 2, true, 102_000, null);
        });

        // then
        assertThat(bytes).as("bytes per recorded operation of 2 attempts").isLessThan(8);
    }

    private static long bytesPerCall(Runnable call) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < WARM_UP; i++) {
            call.run();
        }
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < MEASURED; i++) {
            call.run();
        }
        return (threads.getThreadAllocatedBytes(thread) - before) / MEASURED;
    }
}
