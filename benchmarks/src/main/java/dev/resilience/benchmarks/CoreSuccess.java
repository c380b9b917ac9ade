package dev.resilience.benchmarks;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.function.CheckedSupplier;
import dev.resilience.Guard;
import dev.resilience.RetryPolicy;
import io.github.resilience4j.decorators.Decorators;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;

/**
 * The success path of each library called directly, without Spring: the body returns a field, and every
 * library decorates the same body once, at setup, the way an application would. One shared breaker per library
 * (state of scope benchmark), so that with two threads both callers contend on it as on a real dependency's.
 * The thread count is set by the two subclasses.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public abstract class CoreSuccess {

    private Integer value = 42;

    private Callable<Integer> callable;

    private dev.resilience.CircuitBreaker ourBreaker;
    private Guard ourBreakerGuard;
    private Guard ourRetryGuard;
    private Guard ourGuard;
    private Guard ourBudgetedGuard;

    private io.github.resilience4j.circuitbreaker.CircuitBreaker r4jBreakerAlone;
    private io.github.resilience4j.circuitbreaker.CircuitBreaker r4jBreakerComposed;
    private Supplier<Integer> r4jBreakerSupplier;
    private Supplier<Integer> r4jRetrySupplier;
    private Supplier<Integer> r4jDecorated;

    private CheckedSupplier<Integer> failsafeBody;
    private FailsafeExecutor<Integer> failsafe;

    private Retryable<Integer> springBody;
    private RetryTemplate springRetryTemplate;

    @Setup
    public void setUp() {
        callable = () -> value;

        ourBreaker = Contenders.ourBreaker();
        ourBreakerGuard = Contenders.ourGuard(RetryPolicy.none(), Contenders.ourBreaker());
        ourRetryGuard = Contenders.ourGuard(Contenders.ourRetry(), null);
        ourGuard = Contenders.ourGuard(Contenders.ourRetry(), Contenders.ourBreaker());
        dev.resilience.CircuitBreaker budgetedBreaker = Contenders.ourBreaker();
        ourBudgetedGuard = Guard.builder("Bench.call").retry(Contenders.ourRetry()).breaker(budgetedBreaker)
                .budget(dev.resilience.RetryBudget.of("bench", dev.resilience.BudgetConfig.defaults(),
                        dev.resilience.TimeSource.system()))
                .build();

        Supplier<Integer> supplier = () -> value;
        r4jBreakerAlone = Contenders.r4jBreaker();
        r4jBreakerComposed = Contenders.r4jBreaker();
        r4jBreakerSupplier = io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateSupplier(
                r4jBreakerAlone, supplier);
        r4jRetrySupplier = io.github.resilience4j.retry.Retry.decorateSupplier(Contenders.r4jRetry(), supplier);
        // Decorators: each with... wraps the previous chain, so this is retry(breaker(body)), as ours.
        r4jDecorated = Decorators.ofSupplier(supplier)
                .withCircuitBreaker(r4jBreakerComposed)
                .withRetry(Contenders.r4jRetry())
                .decorate();

        failsafeBody = () -> value;
        // Failsafe composes its policies outer to inner in the order given: retry(breaker(body)).
        failsafe = Failsafe.with(Contenders.failsafeRetry(), Contenders.failsafeBreaker());

        springBody = () -> value;
        springRetryTemplate = Contenders.springRetryTemplate();
    }

    /** Every breaker must still be closed: a success-path number measured on an open breaker would be a lie. */
    @TearDown
    public void checkStillClosed() {
        Checks.closed(ourBreaker);
        Checks.closed(ourBreakerGuard.breaker());
        Checks.closed(ourGuard.breaker());
        Checks.closed(ourBudgetedGuard.breaker());
        Checks.closed(r4jBreakerAlone);
        Checks.closed(r4jBreakerComposed);
    }

    /** The body alone, through the same interface: what every other row adds to. */
    @Benchmark
    public Integer baseline() throws Exception {
        return callable.call();
    }

    /**
     * One read of the monotonic clock, for scale: every library reads it at least twice per call to time the call
     * (slow-call detection, metrics), so two of these are a floor that no row can go under.
     */
    @Benchmark
    public long clockRead() {
        return System.nanoTime();
    }

    /** Our breaker's low-level protocol, as a hand-written integration would use it. */
    @Benchmark
    public Integer ourBreakerPermit() throws Exception {
        long permit = ourBreaker.acquirePermit();
        long start = System.nanoTime();
        Integer result = callable.call();
        ourBreaker.onSuccess(permit, System.nanoTime() - start);
        return result;
    }

    @Benchmark
    public Integer ourBreaker() throws Exception {
        return ourBreakerGuard.call(callable);
    }

    @Benchmark
    public Integer ourRetry() throws Exception {
        return ourRetryGuard.call(callable);
    }

    @Benchmark
    public Integer ourRetryAndBreaker() throws Exception {
        return ourGuard.call(callable);
    }

    /** The same with the dependency's retry budget, on by default: each first attempt is counted in it. */
    @Benchmark
    public Integer ourRetryBreakerAndBudget() throws Exception {
        return ourBudgetedGuard.call(callable);
    }

    @Benchmark
    public Integer r4jBreaker() {
        return r4jBreakerSupplier.get();
    }

    @Benchmark
    public Integer r4jRetry() {
        return r4jRetrySupplier.get();
    }

    @Benchmark
    public Integer r4jRetryAndBreaker() {
        return r4jDecorated.get();
    }

    @Benchmark
    public Integer failsafeRetryAndBreaker() {
        return failsafe.get(failsafeBody);
    }

    @Benchmark
    public Integer springRetryTemplate() throws Exception {
        return springRetryTemplate.execute(springBody);
    }
}
