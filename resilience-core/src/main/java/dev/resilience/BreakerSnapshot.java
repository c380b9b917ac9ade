package dev.resilience;

import java.time.Duration;

/**
 * What a breaker looks like at one moment, for health checks, endpoints and gauges.
 *
 * @param state the current state
 * @param failureRate percent of failed calls among the calls in the window (the probes in half-open, the window
 *     that opened it when open); 0 with no call. Compare {@code bufferedCalls} with {@code minimumCalls}: below it,
 *     the rate decides nothing yet
 * @param slowCallRate percent of slow calls, like {@code failureRate}
 * @param bufferedCalls calls in the window
 * @param failedCalls failed calls in the window
 * @param slowCalls slow calls in the window
 * @param minimumCalls calls needed in the window before a decision
 * @param rejectedCalls calls rejected since the breaker was created or reset
 * @param remainingOpen time left until the breaker admits a probe; zero unless open
 */
public record BreakerSnapshot(BreakerState state, double failureRate, double slowCallRate, long bufferedCalls,
        long failedCalls, long slowCalls, int minimumCalls, long rejectedCalls, Duration remainingOpen) {
}
