package dev.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** An asynchronous operation always ends, once: cancelled by its caller, or unable to schedule its retry. */
class AsyncCancellationTests {

    private final FakeTime time = new FakeTime();
    private final Recorder recorder = new Recorder();
    private final AtomicInteger calls = new AtomicInteger();

    private CircuitBreaker breaker(int probes) {
        return CircuitBreaker.of("prices", BreakerConfig.builder().windowSize(1).minimumCalls(1)
                .halfOpenProbes(probes).build(), time);
    }

    private Guard guard(CircuitBreaker breaker, TimeSource timeSource) {
        return Guard.builder("PriceClient.price").breaker(breaker).listener(recorder).timeSource(timeSource)
                .random(() -> 0.0).retry(RetryPolicy.builder().maxAttempts(3).idempotent(true).build()).build();
    }

    @Test
    void cancellingTheFutureCancelsTheAttemptInFlightAndRecordsTheOperationCancelled() {
        CircuitBreaker breaker = breaker(1);
        CompletableFuture<String> inFlight = new CompletableFuture<>();
        CompletableFuture<String> result = guard(breaker, time).callAsync(() -> {
            calls.incrementAndGet();
            return inFlight;
        });

        assertThat(result.cancel(true)).isTrue();

        assertThat(inFlight).as("cancel(true) reached the attempt").isCancelled();
        assertThat(result).isCancelled();
        assertThat(recorder.events).containsExactly("attempt 1 cancelled", "operation cancelled after 1");
        assertThat(breaker.snapshot().bufferedCalls()).isZero();
        assertThat(result.cancel(true)).as("cancelling again still says it is cancelled").isTrue();
    }

    @Test
    void asyncALateSuccessAfterCancellationIsDroppedNotRecordedAsASuccess() {
        CircuitBreaker breaker = breaker(1);
        breaker.onFailure(breaker.acquirePermit(), 0, new IOException());
        time.advance(Duration.ofSeconds(30)); // half-open: the next call is the one probe
        CompletableFuture<String> source = new CompletableFuture<>();
        CompletionStage<String> uncancellable = source.minimalCompletionStage();
        CompletableFuture<String> result = guard(breaker, time).callAsync(() -> uncancellable);

        result.cancel(true);
        source.complete("late");

        assertThat(result).isCancelled();
        assertThat(recorder.events).containsExactly("attempt 1 cancelled", "operation cancelled after 1");
        assertThat(breaker.state()).as("the cancelled probe gave no evidence: open again, not stuck")
                .isEqualTo(BreakerState.OPEN);
    }

    @Test
    void cancellingBetweenAttemptsStartsNoOtherAttempt() {
        CircuitBreaker breaker = CircuitBreaker.of("prices", BreakerConfig.defaults(), time);
        CompletableFuture<Object> result = guard(breaker, time).callAsync(() -> {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(new IOException("503"));
        });

        result.cancel(false);
        time.advance(Duration.ofSeconds(10));

        assertThat(calls).hasValue(1);
        assertThat(recorder.events).containsExactly("attempt 1 failure", "wait 100ms before 2",
                "operation cancelled after 1");
    }

    @Test
    void anOperationThatEndedIsNotCancelledAfterwards() {
        CompletableFuture<String> result = guard(breaker(1), time).callAsync(
                () -> CompletableFuture.completedFuture("ok"));

        assertThat(result.cancel(true)).isFalse();
        assertThat(result).isCompletedWithValue("ok");
        assertThat(recorder.events).containsExactly("attempt 1 success", "operation success after 1");
    }

    @Test
    void asyncARetryThatCannotBeScheduledCompletesTheFutureWithTheReason() {
        RejectedExecutionException shutDown = new RejectedExecutionException("scheduler shut down");
        TimeSource noScheduler = new TimeSource() {
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
                throw shutDown;
            }
        };
        IOException failure = new IOException("503");

        CompletableFuture<Object> result = guard(CircuitBreaker.of("prices", BreakerConfig.defaults(), time),
                noScheduler).callAsync(() -> CompletableFuture.failedFuture(failure));

        assertThat(result).isCompletedExceptionally();
        Throwable reason = result.handle((value, thrown) -> thrown).join();
        assertThat(reason).isSameAs(shutDown);
        assertThat(reason.getSuppressed()).containsExactly(failure);
        assertThat(recorder.events).containsExactly("attempt 1 failure", "wait 100ms before 2",
                "operation failure after 1");
    }

    @Test
    void aCancelledProbeStillUsesItsSlotSoHalfOpenNeverAdmitsMoreThanItsProbes() {
        CircuitBreaker breaker = breaker(1);
        breaker.onFailure(breaker.acquirePermit(), 0, new IOException());
        time.advance(Duration.ofSeconds(30));
        CompletableFuture<String> first = guard(breaker, time).callAsync(() -> {
            calls.incrementAndGet();
            return new CompletableFuture<>();
        });

        CompletableFuture<String> second = guard(breaker, time).callAsync(() -> {
            calls.incrementAndGet();
            return new CompletableFuture<>();
        });

        assertThat(calls).hasValue(1);
        assertThat(second).isCompletedExceptionally();
        first.cancel(true);
        assertThat(first.handle((v, t) -> t).join()).isInstanceOf(CancellationException.class);
        assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
    }
}
