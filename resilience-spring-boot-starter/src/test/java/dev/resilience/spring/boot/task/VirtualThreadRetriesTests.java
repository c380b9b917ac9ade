package dev.resilience.spring.boot.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.annotation.Retry;
import dev.resilience.spring.boot.autoconfigure.ResilienceAutoConfiguration;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * With {@code spring.threads.virtual.enabled=true}, asynchronous retries run on virtual threads (Boot's
 * {@code applicationTaskExecutor} then makes one per task) with their caller's MDC, and no platform thread is
 * created per retry. Virtual threads need JDK 21: the build targets Java 17, so this runs only on a JDK 21 or later
 * (CI runs it on JDK 25; see {@code .ci/run}).
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadRetriesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
                    TaskSchedulingAutoConfiguration.class, ResilienceAutoConfiguration.class))
            .withPropertyValues("spring.threads.virtual.enabled=true")
            .withBean(Flaky.class);

    @Test
    void retriesRunOnVirtualThreadsWithTheCallersContextAndNoPlatformThreadEach() {
        runner.run(context -> {
            Flaky flaky = context.getBean(Flaky.class);
            int platformBefore = platformThreads();
            List<CompletableFuture<String>> operations = new ArrayList<>();

            MDC.put("request", "request-7");
            try {
                for (int i = 0; i < 500; i++) { // 3 attempts each: 1,000 retries
                    operations.add(flaky.call("operation-" + i));
                }
            } finally {
                MDC.clear();
            }

            CompletableFuture.allOf(operations.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            List<Attempt> retries = flaky.attempts().stream().filter(attempt -> attempt.number() > 1).toList();
            assertThat(retries).hasSize(1000).allSatisfy(retry -> {
                assertThat(retry.virtual()).as("attempt %s on a virtual thread", retry.number()).isTrue();
                assertThat(retry.mdc()).isEqualTo("request-7");
            });
            int carriers = Runtime.getRuntime().availableProcessors();
            assertThat(platformThreads()).as("platform threads: the timer, the JDK's unparker and at most one"
                    + " carrier per core for the virtual threads; none per retry")
                    .isLessThanOrEqualTo(platformBefore + 2 + carriers);
        });
    }

    private static int platformThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream().filter(thread -> !isVirtual(thread)).count();
    }

    static boolean isVirtual(Thread thread) {
        try {
            return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
        } catch (ReflectiveOperationException notOnThisJdk) {
            return false;
        }
    }

    record Attempt(int number, boolean virtual, String mdc) {
    }

    /** Fails the first two attempts of each operation, and records where each attempt ran. */
    static class Flaky {

        private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
        private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

        @Retry(maxAttempts = 3, idempotent = true, delay = "1ms", maxDelay = "1ms")
        public CompletableFuture<String> call(String operation) {
            int number = calls.computeIfAbsent(operation, key -> new AtomicInteger()).incrementAndGet();
            attempts.add(new Attempt(number, isVirtual(Thread.currentThread()), MDC.get("request")));
            return number < 3 ? CompletableFuture.failedFuture(new IOException("attempt failed, as planned"))
                    : CompletableFuture.completedFuture("ok");
        }

        List<Attempt> attempts() {
            return List.copyOf(attempts);
        }
    }
}
