package dev.resilience;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What an annotation's retry policy takes when it does not say: {@code resilience.retry.defaults} and
 * {@code resilience.retry.never-sent-exceptions}.
 *
 * @param delay wait before the first retry; default 100 ms
 * @param maxDelay cap of any single wait; default 5 s
 * @param multiplier growth of the wait from one retry to the next, at least 1; default 2
 * @param jitter fraction of each wait that is random, 0 to 1; default 0.5
 * @param neverSentExceptions failures, besides the built-in ones, that prove a request never reached the dependency
 */
public record RetryDefaults(Duration delay, Duration maxDelay, double multiplier, double jitter,
        List<Class<? extends Throwable>> neverSentExceptions) {

    private static final RetryDefaults STANDARD =
            new RetryDefaults(RetryPolicy.STANDARD_DELAY, RetryPolicy.STANDARD_MAX_DELAY,
                    RetryPolicy.STANDARD_MULTIPLIER, RetryPolicy.STANDARD_JITTER, List.of());

    /**
     * Validates the defaults.
     *
     * @throws InvalidSettingException naming the first value that is not allowed
     */
    public RetryDefaults {
        RetryPolicy.checkWaits(delay, maxDelay, "delay", "max-delay");
        RetryPolicy.checkMultiplier(multiplier, "multiplier");
        RetryPolicy.checkJitter(jitter, "jitter");
        neverSentExceptions = List.copyOf(Objects.requireNonNull(neverSentExceptions, "never-sent-exceptions"));
    }

    /**
     * The contract's defaults: 100 ms, capped at 5 s, doubling, with half of each wait random.
     *
     * @return the standard defaults
     */
    public static RetryDefaults standard() {
        return STANDARD;
    }
}
