package dev.resilience.spring.boot.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.TimeSource;
import dev.resilience.annotation.Retry;
import dev.resilience.spring.boot.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.boot.observation.ResilienceObservationAutoConfiguration;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Composition 7 over Spring Boot's own task auto-configuration: every retry of an asynchronous operation sees its
 * caller's observation, MDC and security context, runs on {@code applicationTaskExecutor} (its decorator applied),
 * and no thread is created per retry.
 */
class AsyncRetryContextTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
                    TaskSchedulingAutoConfiguration.class, ResilienceAutoConfiguration.class,
                    ResilienceObservationAutoConfiguration.class))
            .withBean(ObservationRegistry.class, AsyncRetryContextTests::observations)
            .withBean(Flaky.class);

    @Test
    void everyRetrySeesTheCallersObservationMdcAndSecurityContext() {
        runner.run(context -> {
            Flaky flaky = context.getBean(Flaky.class);
            ObservationRegistry observations = context.getBean(ObservationRegistry.class);
            Observation checkout = Observation.start("checkout", observations);

            CompletableFuture<String> result = callAs("alice", "request-42", checkout, flaky);

            assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
            List<Seen> attempts = flaky.seen();
            assertThat(attempts).hasSize(3);
            Seen first = attempts.get(0);
            assertThat(first.observation()).isNotNull();
            assertThat(first.observation().getContext().getName()).isEqualTo("resilience.guarded.call");
            assertThat(first.observation().getContext().getParentObservation()).isSameAs(checkout);
            for (Seen retry : attempts.subList(1, 3)) {
                assertThat(retry.thread()).isNotEqualTo(first.thread()).startsWith("task-");
                assertThat(retry.observation()).as("the operation's observation, current in the retry")
                        .isSameAs(first.observation());
                assertThat(retry.mdc()).isEqualTo("request-42");
                assertThat(retry.user()).isEqualTo("alice");
            }
            checkout.stop();
        });
    }

    @Test
    void theRetryThreadsLeaveNoContextBehind() {
        runner.run(context -> {
            Flaky flaky = context.getBean(Flaky.class);
            CompletableFuture<String> withContext = callAs("alice", "request-1", null, flaky);
            withContext.get(10, TimeUnit.SECONDS);

            CompletableFuture<String> without = flaky.call("without");

            assertThat(without.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
            for (Seen retry : flaky.seen().subList(4, 6)) {
                assertThat(retry.mdc()).isNull();
                assertThat(retry.user()).isNull();
            }
        });
    }

    @Test
    void theApplicationsTaskDecoratorRunsAroundEveryRetry() {
        runner.withBean(TaskDecorator.class, () -> task -> () -> {
            Flaky.DECORATED.set(true);
            try {
                task.run();
            } finally {
                Flaky.DECORATED.remove();
            }
        }).run(context -> {
            Flaky flaky = context.getBean(Flaky.class);

            flaky.call("decorated").get(10, TimeUnit.SECONDS);

            assertThat(flaky.seen()).extracting(Seen::decorated).containsExactly(false, true, true);
        });
    }

    @Test
    void aThousandRetriesRunOnTheExecutorsPoolWithoutAThreadEach() {
        runner.run(context -> {
            Flaky flaky = context.getBean(Flaky.class);
            int before = Thread.getAllStackTraces().size();
            List<CompletableFuture<String>> operations = new ArrayList<>();

            for (int i = 0; i < 500; i++) { // 3 attempts each: 1,000 retries
                operations.add(flaky.call("operation-" + i));
            }

            CompletableFuture.allOf(operations.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            List<Seen> retries = flaky.seen().stream().filter(seen -> !seen.thread().equals(
                    Thread.currentThread().getName())).toList();
            Set<String> retryThreads = retries.stream().map(Seen::thread).collect(Collectors.toSet());
            assertThat(retries).hasSize(1000);
            assertThat(retryThreads).as("Boot's applicationTaskExecutor: a pool of 8 core threads")
                    .hasSizeLessThanOrEqualTo(8).allMatch(name -> name.startsWith("task-"));
            assertThat(Thread.getAllStackTraces().keySet()).as("one timer thread and the pool, at most")
                    .hasSizeLessThanOrEqualTo(before + 8 + 1)
                    .filteredOn(thread -> thread.getName().startsWith(ApplicationTimeSource.THREAD_NAME_PREFIX))
                    .hasSize(1);
        });
    }

    @Test
    void theApplicationsTaskSchedulerTimesTheRetriesWhenItHasOne() {
        CountingScheduler scheduler = new CountingScheduler();
        runner.withBean(TaskScheduler.class, () -> scheduler).run(context -> {
            Flaky flaky = context.getBean(Flaky.class);

            flaky.call("timed").get(10, TimeUnit.SECONDS);

            assertThat(scheduler.scheduled.get()).isEqualTo(2);
            assertThat(flaky.seen().subList(1, 3)).allMatch(seen -> seen.thread().startsWith("task-"));
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(
                    thread -> thread.getName().startsWith(ApplicationTimeSource.THREAD_NAME_PREFIX));
        });
    }

    @Test
    void aUsersTimeSourceReplacesTheApplicationOne() {
        TimeSource own = TimeSource.system();
        runner.withBean(TimeSource.class, () -> own).run(context ->
                assertThat(context.getBean(TimeSource.class)).isSameAs(own));
    }

    private static CompletableFuture<String> callAs(String user, String request, Observation observation,
            Flaky flaky) {
        MDC.put("request", request);
        SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken(user, "secret"));
        try (Observation.Scope scope = observation == null ? null : observation.openScope()) {
            return flaky.call(request);
        } finally {
            MDC.clear();
            SecurityContextHolder.clearContext();
        }
    }

    private static ObservationRegistry observations() {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(context -> true);
        return registry;
    }

    /** Fails the first two attempts of each operation, and records what every attempt saw. */
    static class Flaky {

        static final ThreadLocal<Boolean> DECORATED = new ThreadLocal<>();

        private final List<Seen> seen = new CopyOnWriteArrayList<>();
        private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        private final ObservationRegistry observations;

        Flaky(ObservationRegistry observations) {
            this.observations = observations;
        }

        @Retry(maxAttempts = 3, idempotent = true, delay = "1ms", maxDelay = "1ms")
        public CompletableFuture<String> call(String operation) {
            seen.add(Seen.now(observations));
            if (calls.computeIfAbsent(operation, key -> new AtomicInteger()).incrementAndGet() < 3) {
                return CompletableFuture.failedFuture(new IOException("attempt failed, as planned"));
            }
            return CompletableFuture.completedFuture("ok");
        }

        List<Seen> seen() {
            return List.copyOf(seen);
        }
    }

    record Seen(String thread, Observation observation, String mdc, String user, boolean decorated) {

        static Seen now(ObservationRegistry observations) {
            Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
            return new Seen(Thread.currentThread().getName(),
                    observations.getCurrentObservation(), MDC.get("request"),
                    authentication == null ? null : authentication.getName(),
                    Boolean.TRUE.equals(Flaky.DECORATED.get()));
        }
    }

    /** The application's scheduler, counting what it is asked to schedule. */
    static final class CountingScheduler extends ThreadPoolTaskScheduler {

        private static final long serialVersionUID = 1L;

        final AtomicInteger scheduled = new AtomicInteger();

        CountingScheduler() {
            setThreadNamePrefix("app-scheduler-");
            initialize();
        }

        @Override
        public java.util.concurrent.ScheduledFuture<?> schedule(Runnable task, java.time.Instant startTime) {
            scheduled.incrementAndGet();
            return super.schedule(task, startTime);
        }
    }
}
