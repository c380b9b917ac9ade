package dev.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An adapter that runs the attempts its own way gets the guard's decisions and reports, as a call does. */
class AttemptsTests {

    private final FakeTime time = new FakeTime();
    private final Recorder recorder = new Recorder();
    private final CircuitBreaker breaker = CircuitBreaker.of("stock", BreakerConfig.builder()
            .slowCallDuration(Duration.ofSeconds(1)).build(), time);
    private final Guard guard = Guard.builder("StockClient.levels").breaker(breaker).listener(recorder)
            .timeSource(time).random(() -> 0.0)
            .retry(RetryPolicy.builder().maxAttempts(3).idempotent(true).build()).build();

    @Test
    void aFailedAttemptGetsTheGuardsWaitAndTheNextOneSucceeds() {
        Attempts attempts = guard.begin();

        attempts.start();
        long wait = attempts.failed(new IOException("503"));
        time.advance(wait);
        attempts.start();
        attempts.succeeded();

        assertThat(wait).isEqualTo(Duration.ofMillis(100).toNanos());
        assertThat(attempts.attempt()).isEqualTo(2);
        assertThat(recorder.events).containsExactly("attempt 1 failure", "wait 100ms before 2", "attempt 2 success",
                "operation success after 2");
        assertThat(breaker.snapshot().bufferedCalls()).isEqualTo(2);
    }

    @Test
    void aStreamsAttemptLastsUntilItsFirstElementSoALongStreamIsNotASlowCall() {
        Attempts attempts = guard.begin();

        attempts.start();
        time.advance(Duration.ofMillis(10));
        attempts.firstElement();
        time.advance(Duration.ofMinutes(5));
        attempts.succeeded();

        assertThat(breaker.snapshot().slowCalls()).isZero();
    }

    @Test
    void aCommittedAttemptsFailureIsRecordedAndNeverRetried() {
        Attempts attempts = guard.begin();
        IOException reset = new IOException("connection reset");

        attempts.start();
        attempts.firstElement();
        Throwable end = attempts.failedCommitted(reset);

        assertThat(end).isSameAs(reset);
        assertThat(recorder.events).containsExactly("attempt 1 failure", "operation failure after 1");
        assertThat(breaker.snapshot().failedCalls()).isEqualTo(1);
    }

    @Test
    void aCancelledAttemptCountsAsNeitherAndTheOperationIsCancelled() {
        Attempts attempts = guard.begin();

        attempts.start();
        attempts.cancelled();

        assertThat(recorder.events).containsExactly("attempt 1 cancelled", "operation cancelled after 1");
        assertThat(breaker.snapshot().bufferedCalls()).isZero();
    }

    @Test
    void aRejectedStartEndsTheOperationAsRejected() {
        breaker.forceOpen();
        Attempts attempts = guard.begin();

        Throwable thrown = catchThrowable(attempts::start);

        assertThat(thrown).isInstanceOf(BreakerOpenException.class);
        assertThat(recorder.events).containsExactly("attempt 1 rejected", "operation rejected after 1");
    }

    @Test
    void anOperationThatCannotGoOnBetweenAttemptsIsReportedAsAFailure() {
        // regression: a reactive operation whose retry could not be scheduled got no operation sample
        Attempts attempts = guard.begin();
        attempts.start();
        attempts.failed(new IOException("503"));

        attempts.abandoned(new java.util.concurrent.RejectedExecutionException("scheduler shut down"));

        assertThat(recorder.events).containsExactly("attempt 1 failure", "wait 100ms before 2",
                "operation failure after 1");
    }
}
