package dev.resilience;

/**
 * The states of a circuit breaker. Their {@link #tag() names} are lowercase everywhere: metric tags, the actuator
 * endpoint and health details.
 */
public enum BreakerState {

    /** Calls flow; outcomes are counted in the window. */
    CLOSED("closed"),
    /** Calls are rejected until the open duration has passed. */
    OPEN("open"),
    /** A fixed number of probe calls are admitted; their outcomes decide between closed and open. */
    HALF_OPEN("half_open"),
    /** Opened by hand: calls are rejected until the breaker is closed or reset by hand. */
    FORCED_OPEN("forced_open");

    private final String tag;

    BreakerState(String tag) {
        this.tag = tag;
    }

    /**
     * The state's lowercase name, as in metric tags and the actuator endpoint.
     *
     * @return {@code closed}, {@code open}, {@code half_open} or {@code forced_open}
     */
    public String tag() {
        return tag;
    }
}
