package dev.resilience.benchmarks;

import dev.failsafe.CircuitBreakerOpenException;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.function.CheckedSupplier;
import dev.resilience.BreakerOpenException;
import dev.resilience.BreakerState;
import dev.resilience.Guard;
import dev.resilience.RetryPolicy;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.decorators.Decorators;
import io.github.resilience4j.retry.RetryConfig;
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
import org.openjdk.jmh.annotations.Threads;

/**
 * The two failure paths that run often in production: a call rejected by an open breaker (while a dependency is
 * down, every call takes it), and a failure recorded by a closed breaker.
 *
 * <p>Rejections: each library's breaker forced open, called alone, with its defaults: Resilience4j fills a stack
 * trace per rejection unless told not to, which the {@code r4jRejectionWithoutStackTrace} row shows. Then the same
 * through retry + breaker: our retry never retries a rejection; Resilience4j's and Failsafe's retry every
 * exception by default, waiting 100 ms each time, so there they are told not to retry their rejection
 * ({@code ignoreExceptions(CallNotPermittedException.class)}, {@code abortOn(CircuitBreakerOpenException.class)}),
 * as a careful user would, to compare the rejection rather than the waits.
 *
 * <p>A recorded failure: the breaker alone, every operation one failing call and one succeeding call, with a
 * failure-rate threshold of 100%, so that the window holds 50% failures and the breaker never opens (checked at
 * tear-down). The body throws a preallocated exception without a stack trace, so that the rows measure the
 * libraries, not the JVM filling a stack.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
public class FailurePaths {

    private static final RuntimeException BOOM = new Boom();

    private final Integer value = 42;

    private Callable<Integer> callable;
    private Callable<Integer> failingCallable;

    private Guard ourRejecting;
    private Guard ourRejectingThroughRetry;
    private Supplier<Integer> r4jRejecting;
    private Supplier<Integer> r4jRejectingThroughRetry;
    private Supplier<Integer> r4jRejectingWithoutStackTrace;
    private FailsafeExecutor<Integer> failsafeRejecting;
    private CheckedSupplier<Integer> failsafeBody;

    private Guard ourRecording;
    private io.github.resilience4j.circuitbreaker.CircuitBreaker r4jRecordingBreaker;
    private Supplier<Integer> r4jRecording;
    private Supplier<Integer> r4jRecordingFailure;

    @Setup
    public void setUp() {
        callable = () -> value;
        failingCallable = () -> {
            throw BOOM;
        };
        Supplier<Integer> supplier = () -> value;
        Supplier<Integer> failingSupplier = () -> {
            throw BOOM;
        };

        dev.resilience.CircuitBreaker ourOpen = Contenders.ourBreaker();
        ourOpen.forceOpen();
        ourRejecting = Contenders.ourGuard(RetryPolicy.none(), ourOpen);
        ourRejectingThroughRetry = Contenders.ourGuard(Contenders.ourRetry(), ourOpen);
        checkOurRejectionHasNoStackTrace();

        io.github.resilience4j.circuitbreaker.CircuitBreaker r4jOpen = Contenders.r4jBreaker();
        r4jOpen.transitionToForcedOpenState();
        r4jRejecting = io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateSupplier(r4jOpen, supplier);
        r4jRejectingThroughRetry = Decorators.ofSupplier(supplier)
                .withCircuitBreaker(r4jOpen)
                .withRetry(io.github.resilience4j.retry.Retry.of("bench", RetryConfig.custom()
                        .maxAttempts(Contenders.ATTEMPTS)
                        .waitDuration(Contenders.DELAY)
                        .ignoreExceptions(CallNotPermittedException.class)
                        .build()))
                .decorate();
        io.github.resilience4j.circuitbreaker.CircuitBreaker r4jOpenQuiet = io.github.resilience4j.circuitbreaker
                .CircuitBreaker.of("bench", Contenders.r4jBreakerConfig().writableStackTraceEnabled(false).build());
        r4jOpenQuiet.transitionToForcedOpenState();
        r4jRejectingWithoutStackTrace = io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateSupplier(
                r4jOpenQuiet, supplier);

        dev.failsafe.CircuitBreaker<Integer> failsafeOpen = Contenders.failsafeBreaker();
        failsafeOpen.open();
        failsafeRejecting = Failsafe.with(failsafeOpen);
        failsafeBody = () -> value;

        dev.resilience.CircuitBreaker ourClosed = dev.resilience.CircuitBreaker.of("bench",
                Contenders.ourBreakerConfig().failureRateThreshold(100).build());
        ourRecording = Contenders.ourGuard(RetryPolicy.none(), ourClosed);
        r4jRecordingBreaker = io.github.resilience4j.circuitbreaker.CircuitBreaker.of("bench",
                Contenders.r4jBreakerConfig().failureRateThreshold(100).build());
        r4jRecording = io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateSupplier(
                r4jRecordingBreaker, supplier);
        r4jRecordingFailure = io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateSupplier(
                r4jRecordingBreaker, failingSupplier);
    }

    /** The promise under test: a rejection fills no stack trace unless the user asks for it. */
    private void checkOurRejectionHasNoStackTrace() {
        Checks.state(System.getProperty("resilience.rejection-stack-traces") == null,
                "-Dresilience.rejection-stack-traces must be left unset for this benchmark, but was '"
                        + System.getProperty("resilience.rejection-stack-traces") + "'");
        try {
            ourRejecting.call(callable);
            throw new IllegalStateException("Benchmark check failed: our forced-open breaker admitted a call");
        } catch (BreakerOpenException rejection) {
            Checks.state(rejection.getStackTrace().length == 0, "our rejection must have no stack trace by default,"
                    + " but had " + rejection.getStackTrace().length + " frames");
        } catch (Exception other) {
            throw new IllegalStateException("Benchmark check failed: expected a BreakerOpenException", other);
        }
    }

    @TearDown
    public void checkRecordingBreakersStayedClosed() {
        Checks.closed(ourRecording.breaker());
        Checks.closed(r4jRecordingBreaker);
        Checks.state(ourRejecting.breaker().state() == BreakerState.FORCED_OPEN, "our rejecting breaker must stay"
                + " forced_open, but is " + ourRejecting.breaker().state().tag());
    }

    @Benchmark
    public Object ourRejection() throws Exception {
        try {
            return ourRejecting.call(callable);
        } catch (BreakerOpenException rejection) {
            return rejection;
        }
    }

    @Benchmark
    public Object r4jRejection() {
        try {
            return r4jRejecting.get();
        } catch (CallNotPermittedException rejection) {
            return rejection;
        }
    }

    @Benchmark
    public Object r4jRejectionWithoutStackTrace() {
        try {
            return r4jRejectingWithoutStackTrace.get();
        } catch (CallNotPermittedException rejection) {
            return rejection;
        }
    }

    @Benchmark
    public Object ourRejectionThroughRetry() throws Exception {
        try {
            return ourRejectingThroughRetry.call(callable);
        } catch (BreakerOpenException rejection) {
            return rejection;
        }
    }

    @Benchmark
    public Object r4jRejectionThroughRetry() {
        try {
            return r4jRejectingThroughRetry.get();
        } catch (CallNotPermittedException rejection) {
            return rejection;
        }
    }

    @Benchmark
    public Object failsafeRejection() {
        try {
            return failsafeRejecting.get(failsafeBody);
        } catch (CircuitBreakerOpenException rejection) {
            return rejection;
        }
    }

    /** One failure and one success recorded by our closed breaker. */
    @Benchmark
    public Object ourRecordedFailure() throws Exception {
        try {
            ourRecording.call(failingCallable);
            throw new IllegalStateException("the failing body returned");
        } catch (Boom expected) {
            return ourRecording.call(callable);
        }
    }

    /** One failure and one success recorded by Resilience4j's closed breaker. */
    @Benchmark
    public Object r4jRecordedFailure() {
        try {
            r4jRecordingFailure.get();
            throw new IllegalStateException("the failing body returned");
        } catch (Boom expected) {
            return r4jRecording.get();
        }
    }

    /** The dependency's failure: preallocated, without a stack trace, the same for every library. */
    static final class Boom extends RuntimeException {

        Boom() {
            super("the dependency failed", null, false, false);
        }
    }
}
