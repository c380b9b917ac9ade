package dev.resilience;

import java.time.Duration;

/**
 * Hears a breaker's state transitions, in the order they happened, each once. A transition that time drives (open
 * to half-open when the open duration ends, half-open to open or closed when {@code half-open-max-wait} ends) happens
 * at its instant and is heard when the breaker is next used or read; {@code ago} then says how long before the call
 * it happened. Called after the transition, on one thread at a time per breaker (the thread that made the transition
 * or one that made a later one); a listener must be quick, and one that throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface BreakerListener {

    /**
     * A transition happened.
     *
     * @param breaker the breaker
     * @param from the state it left
     * @param to the state it entered
     * @param ago how long before this call the transition happened, zero or more
     */
    void onTransition(CircuitBreaker breaker, BreakerState from, BreakerState to, Duration ago);
}
