package dev.resilience.benchmarks;

import dev.resilience.BreakerConfig;
import dev.resilience.BudgetConfig;
import dev.resilience.CircuitBreaker;
import dev.resilience.Guard;
import dev.resilience.RetryBudget;
import dev.resilience.RetryPolicy;
import dev.resilience.TimeSource;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.decorators.Decorators;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A retry storm, simulated: 1,000 operations of one idempotent method (3 attempts) against a dependency that fails
 * a given share of its calls at random (the same seeded sequence for every contender), 100 operations a second on
 * a simulated clock, each behind a breaker at the same settings (a count window of 100, opening at 50 % after 20
 * calls). It prints the load amplification, real calls per operation, for each failure rate: ours without a budget,
 * ours with the default budget (ratio 0.2, 10 retries a second over 10 s), and Resilience4j's retry and breaker.
 * Not a JMH benchmark: it counts calls, it times nothing.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.resilience.benchmarks.RetryStorm</pre>
 */
public final class RetryStorm {

    private static final int OPERATIONS = 1_000;
    private static final long OPERATION_SPACING = Duration.ofMillis(10).toNanos();
    private static final long SEED = 42;

    private RetryStorm() {
    }

    public static void main(String[] args) {
        System.out.println("| failure rate | ours, no budget | ours, default budget | Resilience4j retry + breaker |");
        System.out.println("|---|---|---|---|");
        for (int percent = 10; percent <= 90; percent += 10) {
            System.out.printf(Locale.ROOT, "| %d %% | %.2f | %.2f | %.2f |%n", percent, ours(percent, false),
                    ours(percent, true), resilience4j(percent));
        }
    }

    /** Real calls per operation through our guard, on a simulated clock. */
    static double ours(int failurePercent, boolean budgeted) {
        SimulatedTime time = new SimulatedTime();
        CircuitBreaker breaker = CircuitBreaker.of("storm", BreakerConfig.builder().windowSize(100).minimumCalls(20)
                .failureRateThreshold(50).openDuration(Duration.ofSeconds(30)).build(), time);
        Guard.Builder builder = Guard.builder("Storm.read").breaker(breaker).timeSource(time).random(() -> 0.0)
                .retry(RetryPolicy.builder().maxAttempts(3).idempotent(true).delay(Duration.ZERO).build());
        if (budgeted) {
            builder.budget(RetryBudget.of("storm", BudgetConfig.defaults(), time));
        }
        Guard guard = builder.build();
        Dependency dependency = new Dependency(failurePercent);
        for (int i = 0; i < OPERATIONS; i++) {
            try {
                guard.call(dependency::call);
            } catch (Exception ended) {
                // failed or rejected: the caller's problem, the load is what counts here
            }
            time.advance(OPERATION_SPACING);
        }
        return dependency.calls.get() / (double) OPERATIONS;
    }

    /** Real calls per operation through Resilience4j's decorators (retry outside the breaker), no wait. */
    static double resilience4j(int failurePercent) {
        io.github.resilience4j.circuitbreaker.CircuitBreaker breaker = io.github.resilience4j.circuitbreaker
                .CircuitBreaker.of("storm", CircuitBreakerConfig.custom()
                        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED).slidingWindowSize(100)
                        .minimumNumberOfCalls(20).failureRateThreshold(50)
                        .waitDurationInOpenState(Duration.ofSeconds(30)).build());
        io.github.resilience4j.retry.Retry retry = io.github.resilience4j.retry.Retry.of("storm",
                RetryConfig.custom().maxAttempts(3).waitDuration(Duration.ZERO).build());
        Dependency dependency = new Dependency(failurePercent);
        Supplier<Integer> decorated = Decorators.ofSupplier(dependency::callUnchecked).withCircuitBreaker(breaker)
                .withRetry(retry).decorate();
        for (int i = 0; i < OPERATIONS; i++) {
            try {
                decorated.get();
            } catch (RuntimeException ended) {
                // failed or rejected
            }
        }
        return dependency.calls.get() / (double) OPERATIONS;
    }

    /** A dependency that fails a share of its calls, in a seeded random order, and counts every call. */
    private static final class Dependency {

        final AtomicLong calls = new AtomicLong();
        private final int failurePercent;
        private final SplittableRandom random = new SplittableRandom(SEED);

        Dependency(int failurePercent) {
            this.failurePercent = failurePercent;
        }

        Integer call() throws IOException {
            calls.incrementAndGet();
            if (random.nextInt(100) < failurePercent) {
                throw new IOException("503");
            }
            return 1;
        }

        Integer callUnchecked() {
            try {
                return call();
            } catch (IOException failure) {
                throw new UncheckedIOException(failure);
            }
        }
    }

    /** A clock that moves only when told; waits move it. */
    private static final class SimulatedTime implements TimeSource {

        private long now = 1_000_000_000L;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(long nanos) {
            now += nanos;
        }

        @Override
        public void schedule(Runnable task, long delayNanos) {
            throw new UnsupportedOperationException("the storm is synchronous");
        }

        void advance(long nanos) {
            now += nanos;
        }
    }
}
