package dev.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * Thrown instead of calling a dependency whose circuit breaker rejects calls. It is never retried: an operation
 * that meets it fails at once, without waiting.
 *
 * <p>{@link #retryAfter()} is the time left until the breaker admits a probe, not its configured open duration.
 * A rejection is cheap: the exception fills no stack trace unless the JVM runs with
 * {@code -Dresilience.rejection-stack-traces=true}, and its message is built only when asked for.
 */
public final class BreakerOpenException extends RuntimeException {

    private static final boolean STACK_TRACES = Boolean.getBoolean("resilience.rejection-stack-traces");

    private final String breakerName;
    private final BreakerState state;
    private final long retryAfterNanos;

    /**
     * Creates a rejection.
     *
     * @param breakerName the breaker that rejected the call
     * @param state the breaker's state when it rejected the call
     * @param retryAfterNanos time left until the breaker admits a probe, zero or more
     * @param cause the failure of the previous attempt when a retry was cut short, or {@code null}
     */
    public BreakerOpenException(String breakerName, BreakerState state, long retryAfterNanos, Throwable cause) {
        super(null, cause, true, STACK_TRACES); // a fallback may throw a rejection: the failure is added to it
        this.breakerName = Objects.requireNonNull(breakerName, "breakerName");
        this.state = Objects.requireNonNull(state, "state");
        this.retryAfterNanos = Math.max(0, retryAfterNanos);
    }

    /**
     * The name of the breaker that rejected the call.
     *
     * @return the breaker's name
     */
    public String breakerName() {
        return breakerName;
    }

    /**
     * The breaker's state when it rejected the call: {@link BreakerState#OPEN}, {@link BreakerState#HALF_OPEN}
     * (every probe already admitted) or {@link BreakerState#FORCED_OPEN}.
     *
     * @return the state
     */
    public BreakerState state() {
        return state;
    }

    /**
     * The time left, when the call was rejected, until the breaker admits a probe: when open, until its open
     * duration ends; when half-open with every probe taken, until {@code half-open-max-wait} ends (the round may
     * end sooner, when its probes complete); when forced open, which has no end, the configured open duration.
     *
     * @return the remaining time, nanosecond precision
     */
    public Duration retryAfter() {
        return Duration.ofNanos(retryAfterNanos);
    }

    @Override
    public String getMessage() {
        return switch (state) {
            case HALF_OPEN -> "Breaker '" + breakerName + "' is half_open and every probe is taken; it admits a probe"
                    + " in " + Durations.format(retryAfterNanos) + " at the latest";
            case FORCED_OPEN -> "Breaker '" + breakerName + "' is forced_open; it rejects every call until it is closed or reset";
            default -> "Breaker '" + breakerName + "' is " + state.tag() + "; it admits a probe in "
                    + Durations.format(retryAfterNanos);
        };
    }
}
