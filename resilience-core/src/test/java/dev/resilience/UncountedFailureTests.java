package dev.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What tells nothing about the dependency is never retried and never counted by its breaker. */
class UncountedFailureTests {

    private final FakeTime time = new FakeTime();
    private final Recorder recorder = new Recorder();
    private final AtomicInteger calls = new AtomicInteger();
    private final CircuitBreaker breaker = CircuitBreaker.of("payments", BreakerConfig.builder().windowSize(5)
            .minimumCalls(1).failureRateThreshold(100).build(), time);

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    private Guard guard(List<Class<? extends Throwable>> neverCounted) {
        return Guard.builder("PaymentClient.charge").breaker(breaker).listener(recorder).timeSource(time)
                .neverCounted(neverCounted)
                .retry(RetryPolicy.builder().maxAttempts(3).idempotent(true).delay(Duration.ofMillis(200)).build())
                .build();
    }

    private Throwable callFailing(Guard guard, Throwable failure) {
        return catchThrowable(() -> guard.call(() -> {
            calls.incrementAndGet();
            throw Guard.<Exception>sneaky(failure);
        }));
    }

    private void assertEndedAtOnceUncounted(String operation) {
        assertThat(calls).as("not retried").hasValue(1);
        assertThat(time.sleeps()).as("no wait").isEmpty();
        assertThat(breaker.snapshot().bufferedCalls()).as("not the dependency's outcome").isZero();
        assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(recorder.events).containsExactly("attempt 1 ignored", "operation " + operation + " after 1");
    }

    @Test
    void interruptAnInterruptedExceptionFromTheBodyIsNotRetriedNotCountedAndTheStatusIsSetAgain() {
        InterruptedException interrupted = new InterruptedException("HttpClient.send was interrupted");

        Throwable thrown = callFailing(guard(List.of()), new IOException("wrapped", interrupted));

        assertThat(thrown).isInstanceOf(IOException.class).hasCause(interrupted);
        assertThat(Thread.currentThread().isInterrupted()).as("the caller gets the status back").isTrue();
        assertEndedAtOnceUncounted("failure");
    }

    @Test
    void interruptABodyThatLeavesTheThreadInterruptedEndsTheOperationWithoutAWait() {
        Throwable thrown = catchThrowable(() -> guard(List.of()).call(() -> {
            calls.incrementAndGet();
            Thread.currentThread().interrupt(); // as shutdownNow() or Future.cancel(true) would
            throw new IOException("connection closed");
        }));

        assertThat(thrown).isInstanceOf(IOException.class);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
        assertEndedAtOnceUncounted("failure");
    }

    @Test
    void nestedGuardsAnInnerBreakersWrappedRejectionIsNotRetriedAndDoesNotOpenTheOuterBreaker() {
        BreakerOpenException inner = new BreakerOpenException("ledger", BreakerState.OPEN, 1_000_000_000L, null);

        Throwable thrown = callFailing(guard(List.of()), new CompletionException(inner));

        assertThat(thrown).isInstanceOf(CompletionException.class).hasCause(inner);
        assertEndedAtOnceUncounted("rejected");
    }

    @Test
    void programmingErrorsAnErrorIsNeitherRetriedNorCountedAsTheDependencysFailure() {
        StackOverflowError overflow = new StackOverflowError();

        Throwable thrown = callFailing(guard(List.of()), overflow);

        assertThat(thrown).isSameAs(overflow);
        assertEndedAtOnceUncounted("failure");
    }

    @Test
    void programmingErrorsAnOutOfMemoryErrorDoesNotOpenTheBreaker() {
        Guard guard = guard(List.of());
        for (int i = 0; i < 5; i++) {
            callFailing(guard, new OutOfMemoryError("Java heap space"));
        }

        assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(calls).hasValue(5);
    }

    @Test
    void aRefusalTheGuardIsToldIsTheCallersIsNeitherRetriedNorCounted() {
        class ConstraintViolation extends RuntimeException {
        }

        Throwable thrown = callFailing(guard(List.of(ConstraintViolation.class)),
                new IllegalStateException(new ConstraintViolation()));

        assertThat(thrown).isInstanceOf(IllegalStateException.class);
        assertEndedAtOnceUncounted("failure");
    }

    @Test
    void programmingErrorsAStageBodyThatReturnsNullIsNeitherRetriedNorCounted() {
        CompletableFuture<Object> result = guard(List.of()).callAsync(() -> {
            calls.incrementAndGet();
            return null;
        });

        assertThat(result).isCompletedExceptionally();
        assertEndedAtOnceUncounted("failure");
    }

    @Test
    void interruptAnAsyncAttemptFailingWithAnInterruptIsNotRetriedNorCounted() {
        CompletableFuture<Object> result = guard(List.of()).callAsync(() -> {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(new CompletionException(new InterruptedException()));
        });
        time.advance(Duration.ofSeconds(5));

        assertThat(result).isCompletedExceptionally();
        assertThat(Thread.currentThread().isInterrupted()).as("no thread's status is touched").isFalse();
        assertEndedAtOnceUncounted("failure");
    }
}
