package dev.resilience.benchmarks;

import dev.resilience.BreakerConfig;
import dev.resilience.Guard;
import dev.resilience.RetryPolicy;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;

/**
 * The same breaker and retry settings expressed in each library, so that every row compares like with like: a
 * count window of the last 100 calls deciding at 50% failures once it holds 100 calls, 60 s open, 10 probes, and
 * 3 attempts 100 ms apart. The success path never reaches a decision, so these values only make the setups
 * equivalent; the failure benchmarks adjust what they need.
 */
final class Contenders {

    static final int WINDOW = 100;
    static final int FAILURE_RATE = 50;
    static final Duration OPEN = Duration.ofSeconds(60);
    static final Duration SLOW = Duration.ofSeconds(60);
    static final int PROBES = 10;
    static final int ATTEMPTS = 3;
    static final Duration DELAY = Duration.ofMillis(100);

    private Contenders() {
    }

    static BreakerConfig.Builder ourBreakerConfig() {
        return BreakerConfig.builder()
                .windowType(BreakerConfig.WindowType.COUNT)
                .windowSize(WINDOW)
                .minimumCalls(WINDOW)
                .failureRateThreshold(FAILURE_RATE)
                .slowCallDuration(SLOW)
                .openDuration(OPEN)
                .halfOpenProbes(PROBES);
    }

    static dev.resilience.CircuitBreaker ourBreaker() {
        return dev.resilience.CircuitBreaker.of("bench", ourBreakerConfig().build());
    }

    /** The retry of a method marked {@code @Retry(maxAttempts = 3, idempotent = true)}. */
    static RetryPolicy ourRetry() {
        return RetryPolicy.builder()
                .maxAttempts(ATTEMPTS)
                .idempotent(true)
                .delay(DELAY)
                .maxDelay(Duration.ofSeconds(5))
                .build();
    }

    static Guard ourGuard(RetryPolicy retry, dev.resilience.CircuitBreaker breaker) {
        return Guard.builder("Bench.call").retry(retry).breaker(breaker).build();
    }

    static CircuitBreakerConfig.Builder r4jBreakerConfig() {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(WINDOW)
                .minimumNumberOfCalls(WINDOW)
                .failureRateThreshold(FAILURE_RATE)
                .slowCallDurationThreshold(SLOW)
                .waitDurationInOpenState(OPEN)
                .permittedNumberOfCallsInHalfOpenState(PROBES);
    }

    static io.github.resilience4j.circuitbreaker.CircuitBreaker r4jBreaker() {
        return io.github.resilience4j.circuitbreaker.CircuitBreaker.of("bench", r4jBreakerConfig().build());
    }

    static io.github.resilience4j.retry.Retry r4jRetry() {
        return io.github.resilience4j.retry.Retry.of("bench",
                RetryConfig.custom().maxAttempts(ATTEMPTS).waitDuration(DELAY).build());
    }

    static dev.failsafe.CircuitBreaker<Integer> failsafeBreaker() {
        return dev.failsafe.CircuitBreaker.<Integer>builder()
                .withFailureThreshold(WINDOW * FAILURE_RATE / 100, WINDOW)
                .withDelay(OPEN)
                .withSuccessThreshold(PROBES)
                .build();
    }

    static dev.failsafe.RetryPolicy<Integer> failsafeRetry() {
        return dev.failsafe.RetryPolicy.<Integer>builder().withMaxAttempts(ATTEMPTS).withDelay(DELAY).build();
    }

    static org.springframework.core.retry.RetryTemplate springRetryTemplate() {
        return new org.springframework.core.retry.RetryTemplate(org.springframework.core.retry.RetryPolicy.builder()
                .maxRetries(ATTEMPTS - 1)
                .delay(DELAY)
                .build());
    }
}
