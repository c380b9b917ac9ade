package dev.resilience.benchmarks;

import dev.resilience.BreakerState;

/** Setup checks: a benchmark that does not measure what it claims must fail, not report a number. */
final class Checks {

    private Checks() {
    }

    static void state(boolean holds, String what) {
        if (!holds) {
            throw new IllegalStateException("Benchmark check failed: " + what);
        }
    }

    static void closed(dev.resilience.CircuitBreaker breaker) {
        state(breaker.state() == BreakerState.CLOSED,
                "our breaker '" + breaker.name() + "' must stay closed, but is " + breaker.state().tag());
    }

    static void closed(io.github.resilience4j.circuitbreaker.CircuitBreaker breaker) {
        state(breaker.getState() == io.github.resilience4j.circuitbreaker.CircuitBreaker.State.CLOSED,
                "Resilience4j's breaker '" + breaker.getName() + "' must stay closed, but is " + breaker.getState());
    }
}
