package dev.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** CompletionStage operations: recorded on completion, retried on the scheduler, never blocking a thread. */
class AsyncTests {

    private final FakeTime time = new FakeTime();
    private final AtomicInteger calls = new AtomicInteger();

    private static Throwable failureOf(CompletableFuture<?> future) {
        assertThat(future).isCompletedExceptionally();
        return future.handle((value, failure) -> failure).join();
    }

    private Guard guard(CircuitBreaker breaker, int attempts) {
        return Guard.builder("PriceClient.price").breaker(breaker).timeSource(time).random(() -> 0.0)
                .retry(RetryPolicy.builder().maxAttempts(attempts).idempotent(true).delay(Duration.ofMillis(100))
                        .build())
                .build();
    }

    private CircuitBreaker breaker(int window) {
        return CircuitBreaker.of("prices", BreakerConfig.builder().windowSize(window).minimumCalls(window)
                .failureRateThreshold(100).build(), time);
    }

    @Test
    void anAttemptIsRecordedWhenItsStageCompletesNotWhenItIsReturned() {
        CircuitBreaker breaker = breaker(10);
        CompletableFuture<String> pending = new CompletableFuture<>();

        CompletableFuture<String> result = guard(breaker, 1).callAsync(() -> pending);
        assertThat(breaker.snapshot().bufferedCalls()).isZero();
        assertThat(result).isNotDone();

        pending.complete("42.00");
        assertThat(breaker.snapshot().bufferedCalls()).isEqualTo(1);
        assertThat(result).isCompletedWithValue("42.00");
    }

    @Test
    void retriesAreScheduledNotSleptAndTheResultComesFromTheLastAttempt() {
        Guard guard = guard(breaker(10), 3);

        CompletableFuture<String> result = guard.callAsync(() -> calls.incrementAndGet() < 3
                ? CompletableFuture.failedFuture(new IOException("timeout"))
                : CompletableFuture.completedFuture("ok"));

        assertThat(calls).hasValue(1);
        assertThat(time.pendingTasks()).isEqualTo(1);
        time.advance(Duration.ofMillis(99));
        assertThat(calls).as("the wait has not passed").hasValue(1);
        time.advance(Duration.ofMillis(1));
        assertThat(calls).hasValue(2);
        time.advance(Duration.ofMillis(200));
        assertThat(result).isCompletedWithValue("ok");
        assertThat(calls).hasValue(3);
        assertThat(time.sleeps()).as("no thread slept").isEmpty();
    }

    @Test
    void theLastFailureIsTheCallersUnwrapped() {
        IOException failure = new IOException("down");

        CompletableFuture<Object> result = guard(breaker(10), 1)
                .callAsync(() -> CompletableFuture.failedFuture(failure).thenApply(value -> value));

        assertThat(failureOf(result)).isSameAs(failure);
    }

    @Test
    void anAlwaysFailingDependencyGetsExactlyWindowSizeCallsAsynchronouslyToo() {
        CircuitBreaker breaker = breaker(5);
        Guard guard = guard(breaker, 3);
        List<CompletableFuture<Object>> results = new ArrayList<>();

        for (int operation = 0; operation < 3; operation++) {
            results.add(guard.callAsync(() -> {
                calls.incrementAndGet();
                throw new IOException("refused synchronously");
            }));
            time.advance(Duration.ofSeconds(1));
        }

        assertThat(calls).hasValue(5);
        assertThat(failureOf(results.get(0))).isInstanceOf(IOException.class);
        assertThat(failureOf(results.get(1))).isInstanceOf(BreakerOpenException.class)
                .hasCauseInstanceOf(IOException.class);
        assertThat(failureOf(results.get(2))).isInstanceOf(BreakerOpenException.class);
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void cancellingTheResultStopsFurtherAttempts() {
        Guard guard = guard(breaker(10), 5);
        CompletableFuture<Object> result = guard.callAsync(() -> {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(new IOException());
        });

        result.cancel(false);
        time.advance(Duration.ofSeconds(10));

        assertThat(calls).hasValue(1);
    }

    @Test
    void aBodyThatReturnsNoStageFailsTheOperationAsTheCallersBug() {
        CompletableFuture<Object> result = guard(breaker(10), 1).callAsync(() -> null);

        assertThat(failureOf(result)).isInstanceOf(NullPointerException.class)
                .hasMessage("The body of 'PriceClient.price' returned no CompletionStage at attempt 1; a method that"
                        + " returns CompletionStage must not return null");
    }

    @Test
    void everyRetryRunsWithWhatTheCallersThreadCarriedWhenTheOperationStarted() {
        ThreadLocal<String> trace = new ThreadLocal<>();
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        TimeSource capturing = new TimeSource() {
            @Override
            public long nanoTime() {
                return time.nanoTime();
            }

            @Override
            public void sleep(long nanos) {
                time.sleep(nanos);
            }

            @Override
            public void schedule(Runnable task, long delayNanos) {
                time.schedule(task, delayNanos);
            }

            @Override
            public Runnable capture(Runnable task) {
                String captured = trace.get();
                return () -> {
                    trace.set(captured);
                    try {
                        task.run();
                    } finally {
                        trace.remove();
                    }
                };
            }
        };
        Guard guard = Guard.builder("PriceClient.price").timeSource(capturing).random(() -> 0.0)
                .retry(RetryPolicy.builder().maxAttempts(3).idempotent(true).build()).build();
        trace.set("trace-1");
        CompletableFuture<String> result = guard.callAsync(() -> {
            seen.add(String.valueOf(trace.get()));
            return seen.size() < 3 ? CompletableFuture.failedFuture(new IOException()) : CompletableFuture.completedFuture("ok");
        });
        trace.remove();

        time.advance(Duration.ofSeconds(1)); // the retries run here, on this thread, which now carries nothing

        assertThat(result).isCompletedWithValue("ok");
        assertThat(seen).containsExactly("trace-1", "trace-1", "trace-1");
    }
}
