package dev.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The fallback is the guard's outermost layer: once per operation, after every attempt, each recorded. */
class FallbackTests {

    private final FakeTime time = new FakeTime();
    private final Recorder recorder = new Recorder();
    private final AtomicInteger calls = new AtomicInteger();
    private final CircuitBreaker breaker = CircuitBreaker.of("prices", BreakerConfig.builder().windowSize(3)
            .minimumCalls(3).failureRateThreshold(100).build(), time);

    private Guard guard(FallbackRule rule) {
        return Guard.builder("PriceCatalog.price").breaker(breaker).listener(recorder).timeSource(time)
                .random(() -> 0.0).fallbackRule(rule)
                .retry(RetryPolicy.builder().maxAttempts(2).idempotent(true).build()).build();
    }

    private String failWith(Guard guard, Exception failure, Fallback<String> fallback) throws Exception {
        return guard.call(() -> {
            calls.incrementAndGet();
            throw failure;
        }, fallback);
    }

    @Test
    void afterTheRetriesRunOutTheFallbackAnswersOnceAndTheBreakerRecordedEveryAttempt() throws Exception {
        String price = failWith(guard(FallbackRule.of(List.of(), List.of())), new IOException("503"),
                failure -> "last known: 10");

        assertThat(price).isEqualTo("last known: 10");
        assertThat(calls).as("the retry was not cut short").hasValue(2);
        assertThat(breaker.snapshot().failedCalls()).isEqualTo(2);
        assertThat(recorder.events).containsExactly("attempt 1 failure", "wait 100ms before 2", "attempt 2 failure",
                "operation failure after 2", "fallback success");
    }

    @Test
    void aRejectionGetsTheFallbackWithoutCallingTheDependency() throws Exception {
        breaker.forceOpen();

        String price = failWith(guard(FallbackRule.of(List.of(BreakerOpenException.class), List.of())),
                new IOException(), failure -> failure instanceof BreakerOpenException ? "cached" : "wrong");

        assertThat(price).isEqualTo("cached");
        assertThat(calls).hasValue(0);
        assertThat(recorder.events).containsExactly("attempt 1 rejected", "operation rejected after 1",
                "fallback success");
    }

    @Test
    void applyOnIsMatchedOnTheCauseChainAndTheFallbackReceivesTheMatchedCause() throws Exception {
        IOException cause = new IOException("connection reset");
        Throwable[] received = new Throwable[1];

        failWith(guard(FallbackRule.of(List.of(IOException.class), List.of())), new UncheckedIOException(cause),
                failure -> {
                    received[0] = failure;
                    return "cached";
                });

        assertThat(received[0]).isSameAs(cause);
    }

    @Test
    void skipOnWinsOverApplyOnAndAFailureApplyOnDoesNotListGetsNoFallback() {
        Guard guard = guard(FallbackRule.of(List.of(IOException.class), List.of(IllegalStateException.class)));
        IllegalStateException skipped = new IllegalStateException(new IOException());
        IllegalArgumentException unlisted = new IllegalArgumentException("bad sku");

        assertThat(catchThrowable(() -> failWith(guard, skipped, failure -> "cached"))).isSameAs(skipped);
        breaker.reset();
        assertThat(catchThrowable(() -> failWith(guard, unlisted, failure -> "cached"))).isSameAs(unlisted);
        assertThat(recorder.events).doesNotContain("fallback success", "fallback failure");
    }

    @Test
    void anErrorGetsNoFallbackWhenApplyOnIsEmpty() {
        StackOverflowError bug = new StackOverflowError();

        Throwable thrown = catchThrowable(() -> guard(FallbackRule.of(List.of(), List.of())).call(() -> {
            throw bug;
        }, failure -> "cached"));

        assertThat(thrown).isSameAs(bug);
    }

    @Test
    void aThrowingFallbackGivesWhatItThrewWithTheOperationsFailureSuppressed() {
        IOException failure = new IOException("503");
        IllegalStateException noCache = new IllegalStateException("no cached price");

        Throwable thrown = catchThrowable(() -> failWith(guard(FallbackRule.of(List.of(), List.of())), failure,
                f -> {
                    throw noCache;
                }));

        assertThat(thrown).isSameAs(noCache);
        assertThat(thrown.getSuppressed()).containsExactly(failure);
        assertThat(recorder.events).endsWith("operation failure after 2", "fallback failure");
    }

    @Test
    void aFallbackThatRethrowsTheFailureItselfAddsNothing() {
        IOException failure = new IOException("503");

        Throwable thrown = catchThrowable(() -> failWith(guard(FallbackRule.of(List.of(), List.of())), failure,
                f -> {
                    throw (IOException) f;
                }));

        assertThat(thrown).isSameAs(failure);
        assertThat(thrown.getSuppressed()).isEmpty();
    }

    @Test
    void aStageMethodsFallbackIsAStageRunWhenTheOperationsStageFails() {
        Guard guard = guard(FallbackRule.of(List.of(), List.of()));

        CompletableFuture<String> price = guard.callAsync(() -> {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(new IOException("503"));
        }, failure -> CompletableFuture.completedFuture("last known: 10"));
        time.advance(Duration.ofSeconds(1));

        assertThat(price).isCompletedWithValue("last known: 10");
        assertThat(calls).hasValue(2);
        assertThat(recorder.events).endsWith("operation failure after 2", "fallback success");
    }

    @Test
    void aStageFallbackThatFailsCompletesTheFutureWithItsFailureTheOperationsSuppressed() {
        Guard guard = guard(FallbackRule.of(List.of(), List.of()));
        IOException failure = new IOException("503");
        IllegalStateException noCache = new IllegalStateException("no cached price");
        breaker.forceOpen();

        CompletableFuture<String> price = guard.callAsync(() -> CompletableFuture.failedFuture(failure),
                f -> CompletableFuture.failedFuture(noCache));

        Throwable thrown = price.handle((v, t) -> t).join();
        assertThat(thrown).isSameAs(noCache);
        assertThat(thrown.getSuppressed()).singleElement().isInstanceOf(BreakerOpenException.class);
    }
}
