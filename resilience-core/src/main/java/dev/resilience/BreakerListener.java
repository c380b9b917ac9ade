package dev.resilience;

/**
 * Hears a breaker's state transitions. Called on the thread that caused the transition, after it happened; a
 * listener must be quick, and one that throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface BreakerListener {

    /**
     * A transition happened.
     *
     * @param breaker the breaker
     * @param from the state it left
     * @param to the state it entered
     */
    void onTransition(CircuitBreaker breaker, BreakerState from, BreakerState to);
}
