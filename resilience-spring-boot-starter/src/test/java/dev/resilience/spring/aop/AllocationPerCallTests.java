package dev.resilience.spring.aop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import dev.resilience.spring.boot.autoconfigure.ResilienceAutoConfiguration;
import java.lang.management.ManagementFactory;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The per-call cost through a real proxy, in bytes allocated by the calling thread: nothing is looked up or built
 * per call, so a successful call allocates about what Spring's proxy itself does plus the body's lambda.
 */
class AllocationPerCallTests {

    private static final int WARM_UP = 300_000;
    private static final int MEASURED = 100_000;
    private static final int ROUNDS = 5;
    private static final long BUDGET = 200;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class))
            .withPropertyValues("resilience.breaker.instances.fast.window-size=100")
            .withBean(FastClient.class);

    @Test
    void aBreakerOnlyCallAllocatesLessThanTheBudget() {
        runner.run(context -> {
            FastClient client = context.getBean(FastClient.class);

            long bytes = bytesPerCall(client::guarded);

            assertThat(bytes).as("bytes per call, breaker only").isLessThan(BUDGET);
        });
    }

    @Test
    void aRetryAndBreakerCallAllocatesLessThanTheBudget() {
        runner.run(context -> {
            FastClient client = context.getBean(FastClient.class);

            long bytes = bytesPerCall(client::retried);

            assertThat(bytes).as("bytes per call, retry and breaker").isLessThan(BUDGET);
        });
    }

    /** The steady state: the fewest bytes per call over several rounds, once the JIT has compiled the path. */
    private static long bytesPerCall(IntSupplier call) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        int sink = 0;
        for (int i = 0; i < WARM_UP; i++) {
            sink += call.getAsInt();
        }
        long fewest = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < MEASURED; i++) {
                sink += call.getAsInt();
            }
            long after = threads.getThreadAllocatedBytes(thread);
            fewest = Math.min(fewest, (after - before) / MEASURED);
        }
        assertThat(sink).isEqualTo((WARM_UP + ROUNDS * MEASURED) * 7);
        return fewest;
    }

    static class FastClient {

        @Breaker("fast")
        public int guarded() {
            return 7;
        }

        @Retry(maxAttempts = 3, idempotent = true)
        @Breaker("fast")
        public int retried() {
            return 7;
        }
    }
}
