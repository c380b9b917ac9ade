package dev.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** When the server says when to retry, the retry waits exactly that long, or not at all. */
class PushbackTests {

    private final FakeTime time = new FakeTime();
    private final Recorder recorder = new Recorder();
    private final AtomicInteger calls = new AtomicInteger();

    /** A 503 that carries the server's Retry-After. */
    static final class Throttled extends IOException {
        final Duration retryAfter;

        Throttled(Duration retryAfter) {
            super("503 Service Unavailable");
            this.retryAfter = retryAfter;
        }
    }

    private static final Pushback RETRY_AFTER = failure -> failure instanceof Throttled throttled
            ? Optional.of(throttled.retryAfter) : Optional.empty();

    private Guard guard(RetryPolicy.Builder retry, Pushback pushback) {
        return Guard.builder("PaymentClient.charge").listener(recorder).timeSource(time).random(() -> 1.0)
                .pushback(pushback).retry(retry.build()).build();
    }

    private Object callThrottledTwice(Guard guard, Duration retryAfter) throws Exception {
        return guard.call(() -> {
            if (calls.incrementAndGet() < 3) {
                throw new Throttled(retryAfter);
            }
            return "paid";
        });
    }

    @Test
    void theRetryWaitsExactlyTheServersDelayInsteadOfItsJitteredBackoff() throws Exception {
        Guard guard = guard(RetryPolicy.builder().maxAttempts(3).idempotent(true).jitter(0.5), RETRY_AFTER);

        assertThat(callThrottledTwice(guard, Duration.ofSeconds(1))).isEqualTo("paid");

        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertThat(recorder.events).contains("wait 1000ms before 2 (pushback)", "wait 1000ms before 3 (pushback)");
    }

    @Test
    void aDelayLongerThanMaxDelayEndsTheOperationAtOnce() {
        Guard guard = guard(RetryPolicy.builder().maxAttempts(3).idempotent(true).maxDelay(Duration.ofSeconds(2)),
                RETRY_AFTER);

        Throwable thrown = catchThrowable(() -> callThrottledTwice(guard, Duration.ofSeconds(30)));

        assertThat(thrown).isInstanceOf(Throttled.class);
        assertThat(calls).hasValue(1);
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void aDelayThatWouldEndPastMaxDurationEndsTheOperationAtOnce() {
        Guard guard = guard(RetryPolicy.builder().maxAttempts(3).idempotent(true)
                .maxDuration(Duration.ofMillis(500)), RETRY_AFTER);

        Throwable thrown = catchThrowable(() -> callThrottledTwice(guard, Duration.ofSeconds(1)));

        assertThat(thrown).isInstanceOf(Throttled.class);
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void pushbackNeverMakesAFailureRetryable() {
        Guard guard = guard(RetryPolicy.builder().maxAttempts(3).idempotent(false), RETRY_AFTER);

        Throwable thrown = catchThrowable(() -> callThrottledTwice(guard, Duration.ofSeconds(1)));

        assertThat(thrown).as("a POST's 503 may have been processed").isInstanceOf(Throttled.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void withoutAServersDelayTheRetryWaitsItsBackoffAndAPushbackThatThrowsIsIgnored() throws Exception {
        Pushback broken = failure -> {
            throw new IllegalStateException("bad header");
        };
        Guard guard = guard(RetryPolicy.builder().maxAttempts(3).idempotent(true).jitter(0), broken);

        assertThat(callThrottledTwice(guard, Duration.ofSeconds(1))).isEqualTo("paid");

        assertThat(time.sleeps()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }
}
