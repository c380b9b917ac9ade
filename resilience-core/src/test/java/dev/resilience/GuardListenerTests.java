package dev.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the core reports: every attempt, every wait, every operation. */
class GuardListenerTests {

    private final FakeTime time = new FakeTime();
    private final List<String> events = new CopyOnWriteArrayList<>();

    private final GuardListener recorder = new GuardListener() {
        @Override
        public void onAttempt(int attempt, Outcome outcome, long nanos, Throwable failure) {
            events.add("attempt " + attempt + " " + outcome.tag() + " " + Duration.ofNanos(nanos).toMillis() + "ms");
        }

        @Override
        public void onRetryWait(int nextAttempt, long waitNanos, WaitReason reason) {
            events.add("wait " + Duration.ofNanos(waitNanos).toMillis() + "ms before " + nextAttempt);
        }

        @Override
        public void onOperation(Outcome outcome, int attempts, boolean retried, long nanos, Throwable failure) {
            events.add("operation " + outcome.tag() + " after " + attempts + (retried ? " retried " : " ")
                    + Duration.ofNanos(nanos).toMillis() + "ms");
        }
    };

    private Guard guard(CircuitBreaker breaker, GuardListener listener) {
        return Guard.builder("StockClient.level").breaker(breaker).listener(listener).timeSource(time)
                .random(() -> 0.0).retry(RetryPolicy.builder().maxAttempts(3).idempotent(true)
                        .delay(Duration.ofMillis(100)).build())
                .build();
    }

    @Test
    void everyAttemptWaitAndOperationIsReportedWithItsNumbersAndTimes() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.of("stock", BreakerConfig.defaults(), time);
        AtomicInteger calls = new AtomicInteger();

        String level = guard(breaker, recorder).call(() -> {
            time.advance(Duration.ofMillis(10));
            if (calls.incrementAndGet() < 3) {
                throw new IOException();
            }
            return "7";
        });

        assertThat(level).isEqualTo("7");
        assertThat(events).containsExactly(
                "attempt 1 failure 10ms", "wait 100ms before 2",
                "attempt 2 failure 10ms", "wait 200ms before 3",
                "attempt 3 success 10ms",
                "operation success after 3 retried 330ms");
    }

    @Test
    void aRejectionIsReportedAsARejectedAttemptAndOperation() {
        CircuitBreaker breaker = CircuitBreaker.of("stock", BreakerConfig.defaults(), time);
        breaker.forceOpen();

        assertThatThrownBy(() -> guard(breaker, recorder).call(() -> "7")).isInstanceOf(BreakerOpenException.class);

        assertThat(events).containsExactly("attempt 1 rejected 0ms", "operation rejected after 1 0ms");
    }

    @Test
    void anIgnoredFailureIsReportedAsIgnored() {
        CircuitBreaker breaker = CircuitBreaker.of("stock", BreakerConfig.builder()
                .ignoreExceptions(List.of(IllegalArgumentException.class)).build(), time);

        assertThatThrownBy(() -> guard(breaker, recorder).call(() -> {
            throw new IllegalArgumentException("bad sku");
        })).isInstanceOf(IllegalArgumentException.class);

        assertThat(events).startsWith("attempt 1 ignored 0ms", "wait 100ms before 2").hasSize(6)
                .endsWith("operation failure after 3 retried 300ms");
    }

    @Test
    void eachOperationIsHeardByTheListenerItsCallerBoundEvenWhenItsAttemptsEndElsewhere() {
        // given a listener that binds each operation to a label known only on the caller's thread
        ThreadLocal<String> trace = new ThreadLocal<>();
        GuardListener perTrace = new GuardListener() {
            @Override
            public GuardListener onOperationStart() {
                String label = trace.get();
                return new GuardListener() {
                    @Override
                    public void onRetryWait(int nextAttempt, long waitNanos, WaitReason reason) {
                        events.add(label + ": wait before " + nextAttempt);
                    }

                    @Override
                    public void onOperation(Outcome outcome, int attempts, boolean retried, long nanos,
                            Throwable failure) {
                        events.add(label + ": " + outcome.tag() + " after " + attempts);
                    }
                };
            }
        };
        CircuitBreaker breaker = CircuitBreaker.of("stock", BreakerConfig.defaults(), time);
        Guard guard = guard(breaker, perTrace);
        AtomicInteger calls = new AtomicInteger();

        // when two operations start under two traces, and their retries run later from the scheduler
        trace.set("trace-a");
        java.util.concurrent.CompletableFuture<String> first = guard.callAsync(() -> calls.incrementAndGet() < 3
                ? java.util.concurrent.CompletableFuture.failedFuture(new IOException())
                : java.util.concurrent.CompletableFuture.completedFuture("7"));
        trace.set("trace-b");
        java.util.concurrent.CompletableFuture<String> second = guard.callAsync(
                () -> java.util.concurrent.CompletableFuture.completedFuture("8"));
        trace.remove();
        time.advance(Duration.ofSeconds(1));

        // then each operation's events went to its own trace
        assertThat(first).isCompletedWithValue("7");
        assertThat(second).isCompletedWithValue("8");
        assertThat(events).containsExactly("trace-a: wait before 2", "trace-b: success after 1",
                "trace-a: wait before 3", "trace-a: success after 3");
    }

    @Test
    void aListenerThatFailsToStartAnOperationStillHearsIt() throws Exception {
        GuardListener failingStart = new GuardListener() {
            @Override
            public GuardListener onOperationStart() {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void onOperation(Outcome outcome, int attempts, boolean retried, long nanos, Throwable failure) {
                events.add("operation " + outcome.tag());
            }
        };

        assertThat(guard(CircuitBreaker.of("stock", BreakerConfig.defaults(), time), failingStart)
                .<String>call(() -> "7")).isEqualTo("7");
        assertThat(events).containsExactly("operation success");
    }

    @Test
    void aListenerThatThrowsNeverBreaksTheCall() throws Exception {
        GuardListener broken = new GuardListener() {
            @Override
            public void onAttempt(int attempt, Outcome outcome, long nanos, Throwable failure) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void onOperation(Outcome outcome, int attempts, boolean retried, long nanos, Throwable failure) {
                throw new IllegalStateException("listener bug");
            }
        };
        CircuitBreaker breaker = CircuitBreaker.of("stock", BreakerConfig.defaults(), time);

        assertThat(guard(breaker, broken).<String>call(() -> "7")).isEqualTo("7");
        IOException failure = new IOException();
        assertThatThrownBy(() -> guard(breaker, broken).call(() -> {
            throw failure;
        })).isSameAs(failure);
    }
}
