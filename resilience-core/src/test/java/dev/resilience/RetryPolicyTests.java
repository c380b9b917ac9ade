package dev.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.annotation.Retry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryPolicyTests {

    private final FakeTime time = new FakeTime();

    private int callsUntilGivingUp(RetryPolicy policy, Exception failure) {
        AtomicInteger calls = new AtomicInteger();
        Guard guard = Guard.builder("PaymentClient.charge").retry(policy).timeSource(time).build();
        assertThatThrownBy(() -> guard.call(() -> {
            calls.incrementAndGet();
            throw failure;
        })).isSameAs(failure);
        return calls.get();
    }

    @Test
    void aNonIdempotentOperationIsRetriedWhenTheRequestWasNeverSent() {
        RetryPolicy post = RetryPolicy.builder().maxAttempts(3).idempotent(false).build();

        assertThat(callsUntilGivingUp(post, new ConnectException("Connection refused"))).isEqualTo(3);
        assertThat(callsUntilGivingUp(post, new UncheckedIOException(new ConnectException("Connection refused"))))
                .isEqualTo(3);
        assertThat(callsUntilGivingUp(post, new RuntimeException("I/O error", new UnknownHostException("pay"))))
                .isEqualTo(3);
        assertThat(callsUntilGivingUp(post, new HttpConnectTimeoutException("connect timed out"))).isEqualTo(3);
    }

    @Test
    void aNonIdempotentOperationIsNotRetriedWhenTheRequestMayHaveBeenSent() {
        RetryPolicy post = RetryPolicy.builder().maxAttempts(3).idempotent(false).build();

        assertThat(callsUntilGivingUp(post, new SocketTimeoutException("Read timed out"))).isEqualTo(1);
        assertThat(callsUntilGivingUp(post, new IOException("Connection reset"))).isEqualTo(1);
        assertThat(callsUntilGivingUp(post, new UncheckedIOException(new IOException("Premature EOF")))).isEqualTo(1);
    }

    @Test
    void retryOnDoesNotWidenWhatANonIdempotentOperationRetries() {
        RetryPolicy post = RetryPolicy.builder().maxAttempts(3).retryOn(List.of(IOException.class)).build();

        assertThat(post.retries(new SocketTimeoutException("Read timed out"))).isFalse();
        assertThat(post.retries(new ConnectException())).isTrue();
    }

    @Test
    void configuredNeverSentTypesAreRetriedToo() {
        class PoolExhausted extends RuntimeException {
        }
        RetryPolicy post = RetryPolicy.builder().neverSent(List.of(PoolExhausted.class)).build();

        assertThat(post.retries(new IllegalStateException(new PoolExhausted()))).isTrue();
        assertThat(post.neverSentExceptions()).startsWith(ConnectException.class).endsWith(PoolExhausted.class);
    }

    @Test
    void abortOnWinsOverRetryOnAndOverNeverSent() {
        RetryPolicy policy = RetryPolicy.builder().idempotent(true).retryOn(List.of(IOException.class))
                .abortOn(List.of(ConnectException.class)).build();

        assertThat(policy.retries(new IOException())).isTrue();
        assertThat(policy.retries(new ConnectException())).isFalse();
        assertThat(policy.retries(new UncheckedIOException(new ConnectException()))).isFalse();
        assertThat(policy.retries(new IllegalStateException())).as("not in retryOn").isFalse();
    }

    @Test
    void onlyExceptionsAreRetriedByDefaultNeverErrorsNorRejections() {
        RetryPolicy policy = RetryPolicy.builder().idempotent(true).build();

        assertThat(policy.retries(new IllegalStateException())).isTrue();
        assertThat(policy.retries(new AssertionError())).isFalse();
        assertThat(policy.retries(new BreakerOpenException("payments", BreakerState.OPEN, 1, null))).isFalse();
    }

    @Test
    void theWaitsAreExactlyTheNominalOnesShortenedByTheJitterAndCappedByMaxDelay() throws Exception {
        // given delay 100ms doubling, capped at 1s, half random, and scripted random numbers
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(7).idempotent(true).delay(Duration.ofMillis(100))
                .maxDelay(Duration.ofSeconds(1)).multiplier(2).jitter(0.5).build();
        Iterator<Double> random = List.of(0.0, 0.5, 0.25, 0.99, 0.0, 0.5).iterator();
        Guard guard = Guard.builder("Client.read").retry(policy).timeSource(time).random(random::next).build();

        assertThatThrownBy(() -> guard.call(() -> {
            throw new IOException();
        })).isInstanceOf(IOException.class);

        assertThat(time.sleeps()).containsExactly(
                Duration.ofMillis(100),          // 100 * (1 - 0.5 * 0)
                Duration.ofMillis(150),          // 200 * (1 - 0.5 * 0.5)
                Duration.ofMillis(350),          // 400 * (1 - 0.5 * 0.25)
                Duration.ofMillis(404),          // 800 * (1 - 0.5 * 0.99)
                Duration.ofMillis(1000),         // 1600 capped at 1000
                Duration.ofMillis(750));         // 3200 capped at 1000, * (1 - 0.5 * 0.5)
    }

    @Test
    void theSameSeedGivesTheSameWaitsEachWithinItsJitterBand() throws Exception {
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(6).idempotent(true).delay(Duration.ofMillis(200))
                .maxDelay(Duration.ofSeconds(2)).multiplier(3).jitter(0.4).build();

        List<Duration> first = waitsWithSeed(policy, 42);
        List<Duration> second = waitsWithSeed(policy, 42);

        assertThat(first).isEqualTo(second).hasSize(5);
        long[] nominalMillis = {200, 600, 1800, 2000, 2000};
        for (int i = 0; i < nominalMillis.length; i++) {
            assertThat(first.get(i)).isBetween(Duration.ofMillis(nominalMillis[i]).multipliedBy(6).dividedBy(10),
                    Duration.ofMillis(nominalMillis[i]));
        }
        assertThat(waitsWithSeed(policy, 7)).isNotEqualTo(first);
    }

    private List<Duration> waitsWithSeed(RetryPolicy policy, long seed) throws Exception {
        FakeTime clock = new FakeTime();
        Random random = new Random(seed);
        Guard guard = Guard.builder("Client.read").retry(policy).timeSource(clock).random(random::nextDouble).build();
        try {
            guard.call(() -> {
                throw new IOException();
            });
        } catch (IOException expected) {
            // every attempt fails
        }
        return new ArrayList<>(clock.sleeps());
    }

    @Test
    void noRetryStartsWhoseWaitWouldEndPastMaxDuration() {
        // given attempts of 100ms each, waits of 300ms then 600ms, and a budget of 1s
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(10).idempotent(true).delay(Duration.ofMillis(300))
                .maxDelay(Duration.ofSeconds(10)).jitter(0).maxDuration(Duration.ofSeconds(1)).build();
        Guard guard = Guard.builder("Client.read").retry(policy).timeSource(time).build();
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> guard.call(() -> {
            calls.incrementAndGet();
            time.advance(Duration.ofMillis(100));
            throw new IOException();
        })).isInstanceOf(IOException.class);

        // attempt 1 ends at 100ms, waits until 400ms; attempt 2 ends at 500ms; a 600ms wait would end at 1100ms
        assertThat(calls).hasValue(2);
        assertThat(time.sleeps()).containsExactly(Duration.ofMillis(300));
    }

    @Retry
    private static void defaults() {
    }

    @Retry(maxAttempts = 5, idempotent = true, delay = "250ms", maxDelay = "2s", maxDuration = "PT10S",
            retryOn = IOException.class, abortOn = ConnectException.class)
    private static void everything() {
    }

    @Retry(maxAttempts = 0)
    private static void noAttempt() {
    }

    @Retry(delay = "fast")
    private static void unparsable() {
    }

    @Retry(delay = "10s")
    private static void delayAboveTheCap() {
    }

    private static Retry annotationOf(String method) throws NoSuchMethodException {
        return RetryPolicyTests.class.getDeclaredMethod(method).getAnnotation(Retry.class);
    }

    @Test
    void anAnnotationTakesWhatItDoesNotSayFromTheDefaults() throws Exception {
        RetryDefaults defaults = new RetryDefaults(Duration.ofMillis(50), Duration.ofSeconds(3), 1.5, 0.2, List.of());

        RetryPolicy policy = RetryPolicy.from(annotationOf("defaults"), defaults);

        assertThat(policy.maxAttempts()).isEqualTo(3);
        assertThat(policy.idempotent()).isFalse();
        assertThat(policy.delay()).isEqualTo(Duration.ofMillis(50));
        assertThat(policy.maxDelay()).isEqualTo(Duration.ofSeconds(3));
        assertThat(policy.multiplier()).isEqualTo(1.5);
        assertThat(policy.jitter()).isEqualTo(0.2);
        assertThat(policy.maxDuration()).isNull();
    }

    @Test
    void anAnnotationsOwnValuesWin() throws Exception {
        RetryPolicy policy = RetryPolicy.from(annotationOf("everything"), RetryDefaults.standard());

        assertThat(policy.maxAttempts()).isEqualTo(5);
        assertThat(policy.idempotent()).isTrue();
        assertThat(policy.delay()).isEqualTo(Duration.ofMillis(250));
        assertThat(policy.maxDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.maxDuration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(policy.retryOn()).containsExactly(IOException.class);
        assertThat(policy.abortOn()).containsExactly(ConnectException.class);
    }

    @Test
    void impossibleAnnotationsAreRefusedWithTheAttributeTheValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> RetryPolicy.from(annotationOf("noAttempt"), RetryDefaults.standard()))
                .isInstanceOfSatisfying(InvalidSettingException.class, ex -> {
                    assertThat(ex.setting()).isEqualTo("maxAttempts");
                    assertThat(ex).hasMessage("'maxAttempts' must be at least 1, but was 0");
                });
        assertThatThrownBy(() -> RetryPolicy.from(annotationOf("unparsable"), RetryDefaults.standard()))
                .hasMessage("'delay' must be a duration such as \"200ms\", \"2s\" or \"PT0.5S\""
                        + " (units ns, us, ms, s, m, h, d), but was \"fast\"");
        assertThatThrownBy(() -> RetryPolicy.from(annotationOf("delayAboveTheCap"), RetryDefaults.standard()))
                .hasMessage("'maxDelay' must be at least delay (10s), but was 5s");
    }

    @Test
    void badBuilderValuesAreRefused() {
        assertThatThrownBy(() -> RetryPolicy.builder().jitter(1.5).build())
                .hasMessage("'jitter' must be between 0.0 and 1.0, but was 1.5");
        assertThatThrownBy(() -> RetryPolicy.builder().multiplier(0.5).build())
                .hasMessage("'multiplier' must be between 1.0 and 100.0, but was 0.5");
        assertThatThrownBy(() -> RetryPolicy.builder().maxDuration(Duration.ZERO).build())
                .hasMessage("'maxDuration' must be more than 0, or none, but was 0ms");
        assertThatThrownBy(() -> new RetryDefaults(Duration.ofMillis(-1), Duration.ofSeconds(1), 2, 0.5, List.of()))
                .hasMessage("'delay' must be zero or more, but was -1ms");
    }

    @Test
    void aDelayOfMinusTwoToTheSixtyThreeNanosecondsFailsWithAMessageNotAStackOverflow() {
        // regression (found by the configuration fuzzer): formatting Long.MIN_VALUE nanoseconds recursed for ever
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> RetryPolicy.builder()
                .delay(java.time.Duration.ofNanos(Long.MIN_VALUE)).build());

        assertThat(thrown).isInstanceOf(InvalidSettingException.class)
                .hasMessage("'delay' must be zero or more, but was PT-2562047H-47M-16.854775808S");
    }
}
