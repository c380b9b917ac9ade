package dev.resilience;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The settings of one circuit breaker, immutable and validated when built. The defaults are the contract's:
 * a count window of 100 calls, a decision after 20, opening at a 50 % failure rate or a 100 % rate of calls of
 * 60 s or more, 30 s open, then 5 probes, waited for at most 60 s.
 *
 * <p>{@link #builder()} starts from the defaults; {@link #toBuilder()} from this config. Two configs with the same
 * settings are equal. Thread-safe.
 */
public final class BreakerConfig {

    /** How the breaker's window keeps calls. */
    public enum WindowType {
        /** The last {@code window-size} calls. */
        COUNT,
        /** The calls of the last {@code window-duration}. */
        TIME
    }

    /** Largest window size and minimum-calls. */
    public static final int MAX_WINDOW_SIZE = 1_000_000;
    /** Largest number of half-open probes. */
    public static final int MAX_PROBES = 10_000;

    private static final BreakerConfig DEFAULTS = new Builder().build();

    private final WindowType windowType;
    private final int windowSize;
    private final Duration windowDuration;
    private final int minimumCalls;
    private final double failureRateThreshold;
    private final Duration slowCallDuration;
    private final double slowCallRateThreshold;
    private final Duration openDuration;
    private final int halfOpenProbes;
    private final Duration halfOpenMaxWait;
    private final List<Class<? extends Throwable>> recordExceptions;
    private final List<Class<? extends Throwable>> ignoreExceptions;
    private final boolean outOfServiceWhenOpen;

    private BreakerConfig(Builder b) {
        windowType = Objects.requireNonNull(b.windowType, "window-type");
        windowSize = inRange("window-size", b.windowSize, 1, MAX_WINDOW_SIZE);
        windowDuration = positive("window-duration", b.windowDuration);
        minimumCalls = inRange("minimum-calls", b.minimumCalls, 1, MAX_WINDOW_SIZE);
        if (windowType == WindowType.COUNT && minimumCalls > windowSize) {
            throw new InvalidSettingException("minimum-calls", minimumCalls,
                    "at most window-size (" + windowSize + ") for a count window, or the breaker could never decide");
        }
        failureRateThreshold = percent("failure-rate-threshold", b.failureRateThreshold);
        slowCallDuration = positive("slow-call-duration", b.slowCallDuration);
        slowCallRateThreshold = percent("slow-call-rate-threshold", b.slowCallRateThreshold);
        openDuration = positive("open-duration", b.openDuration);
        halfOpenProbes = inRange("half-open-probes", b.halfOpenProbes, 1, MAX_PROBES);
        halfOpenMaxWait = positive("half-open-max-wait", b.halfOpenMaxWait);
        recordExceptions = List.copyOf(b.recordExceptions);
        ignoreExceptions = List.copyOf(b.ignoreExceptions);
        outOfServiceWhenOpen = b.outOfServiceWhenOpen;
    }

    private static int inRange(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidSettingException(key, value, "between " + min + " and " + max);
        }
        return value;
    }

    private static double percent(String key, double value) {
        if (!(value >= 1 && value <= 100)) {
            throw new InvalidSettingException(key, value, "a percentage between 1 and 100");
        }
        return value;
    }

    private static Duration positive(String key, Duration value) {
        Objects.requireNonNull(value, key);
        if (value.isNegative() || value.isZero() || value.compareTo(Duration.ofDays(365)) > 0) {
            throw new InvalidSettingException(key, Durations.format(value), "more than 0 and at most 365d");
        }
        return value;
    }

    /**
     * The contract's defaults.
     *
     * @return the default config
     */
    public static BreakerConfig defaults() {
        return DEFAULTS;
    }

    /**
     * A builder that starts from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder that starts from this config.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** @return {@code count} or {@code time} window; default count */
    public WindowType windowType() {
        return windowType;
    }

    /** @return calls kept by a count window; default 100 */
    public int windowSize() {
        return windowSize;
    }

    /** @return span of a time window; default 60 s */
    public Duration windowDuration() {
        return windowDuration;
    }

    /** @return calls in the window before the breaker decides anything; default 20 */
    public int minimumCalls() {
        return minimumCalls;
    }

    /** @return failure rate, in percent, at or above which the breaker opens; default 50 */
    public double failureRateThreshold() {
        return failureRateThreshold;
    }

    /** @return duration at or above which a call is slow; default 60 s */
    public Duration slowCallDuration() {
        return slowCallDuration;
    }

    /** @return slow-call rate, in percent, at or above which the breaker opens; default 100 */
    public double slowCallRateThreshold() {
        return slowCallRateThreshold;
    }

    /** @return time spent open before probing; default 30 s */
    public Duration openDuration() {
        return openDuration;
    }

    /** @return calls admitted in half-open; default 5 */
    public int halfOpenProbes() {
        return halfOpenProbes;
    }

    /**
     * @return how long half-open waits for its probes, from the first probe's admission: then it decides over the
     *     probes completed so far; default 60 s
     */
    public Duration halfOpenMaxWait() {
        return halfOpenMaxWait;
    }

    /** @return failures counted as failures (matched on the cause chain); empty, the default, means every one */
    public List<Class<? extends Throwable>> recordExceptions() {
        return recordExceptions;
    }

    /** @return failures counted as neither success nor failure (matched on the cause chain); default none */
    public List<Class<? extends Throwable>> ignoreExceptions() {
        return ignoreExceptions;
    }

    /** @return whether an open breaker should report OUT_OF_SERVICE to health checks; default false */
    public boolean outOfServiceWhenOpen() {
        return outOfServiceWhenOpen;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BreakerConfig that
                && windowType == that.windowType && windowSize == that.windowSize
                && windowDuration.equals(that.windowDuration) && minimumCalls == that.minimumCalls
                && Double.compare(failureRateThreshold, that.failureRateThreshold) == 0
                && slowCallDuration.equals(that.slowCallDuration)
                && Double.compare(slowCallRateThreshold, that.slowCallRateThreshold) == 0
                && openDuration.equals(that.openDuration) && halfOpenProbes == that.halfOpenProbes
                && halfOpenMaxWait.equals(that.halfOpenMaxWait)
                && recordExceptions.equals(that.recordExceptions) && ignoreExceptions.equals(that.ignoreExceptions)
                && outOfServiceWhenOpen == that.outOfServiceWhenOpen;
    }

    @Override
    public int hashCode() {
        return Objects.hash(windowType, windowSize, windowDuration, minimumCalls, failureRateThreshold,
                slowCallDuration, slowCallRateThreshold, openDuration, halfOpenProbes, halfOpenMaxWait, recordExceptions,
                ignoreExceptions, outOfServiceWhenOpen);
    }

    @Override
    public String toString() {
        return "BreakerConfig[window-type=" + windowType.name().toLowerCase(java.util.Locale.ROOT)
                + ", window-size=" + windowSize + ", window-duration=" + Durations.format(windowDuration)
                + ", minimum-calls=" + minimumCalls + ", failure-rate-threshold=" + failureRateThreshold
                + ", slow-call-duration=" + Durations.format(slowCallDuration)
                + ", slow-call-rate-threshold=" + slowCallRateThreshold
                + ", open-duration=" + Durations.format(openDuration) + ", half-open-probes=" + halfOpenProbes
                + ", half-open-max-wait=" + Durations.format(halfOpenMaxWait)
                + ", record-exceptions=" + recordExceptions + ", ignore-exceptions=" + ignoreExceptions
                + ", out-of-service-when-open=" + outOfServiceWhenOpen + "]";
    }

    /** Builds a {@link BreakerConfig}; not thread-safe. */
    public static final class Builder {

        private WindowType windowType = WindowType.COUNT;
        private int windowSize = 100;
        private Duration windowDuration = Duration.ofSeconds(60);
        private int minimumCalls = 20;
        private double failureRateThreshold = 50;
        private Duration slowCallDuration = Duration.ofSeconds(60);
        private double slowCallRateThreshold = 100;
        private Duration openDuration = Duration.ofSeconds(30);
        private int halfOpenProbes = 5;
        private Duration halfOpenMaxWait = Duration.ofSeconds(60);
        private List<Class<? extends Throwable>> recordExceptions = List.of();
        private List<Class<? extends Throwable>> ignoreExceptions = List.of();
        private boolean outOfServiceWhenOpen;

        private Builder() {
        }

        private Builder(BreakerConfig c) {
            windowType = c.windowType;
            windowSize = c.windowSize;
            windowDuration = c.windowDuration;
            minimumCalls = c.minimumCalls;
            failureRateThreshold = c.failureRateThreshold;
            slowCallDuration = c.slowCallDuration;
            slowCallRateThreshold = c.slowCallRateThreshold;
            openDuration = c.openDuration;
            halfOpenProbes = c.halfOpenProbes;
            halfOpenMaxWait = c.halfOpenMaxWait;
            recordExceptions = c.recordExceptions;
            ignoreExceptions = c.ignoreExceptions;
            outOfServiceWhenOpen = c.outOfServiceWhenOpen;
        }

        /** @param value count or time @return this builder */
        public Builder windowType(WindowType value) {
            windowType = value;
            return this;
        }

        /** @param value calls kept by a count window, 1 to 1,000,000 @return this builder */
        public Builder windowSize(int value) {
            windowSize = value;
            return this;
        }

        /** @param value span of a time window, positive @return this builder */
        public Builder windowDuration(Duration value) {
            windowDuration = value;
            return this;
        }

        /** @param value calls needed before a decision, at least 1 (at most window-size for a count window) @return this builder */
        public Builder minimumCalls(int value) {
            minimumCalls = value;
            return this;
        }

        /** @param value percent, 1 to 100 @return this builder */
        public Builder failureRateThreshold(double value) {
            failureRateThreshold = value;
            return this;
        }

        /** @param value duration at or above which a call is slow, positive @return this builder */
        public Builder slowCallDuration(Duration value) {
            slowCallDuration = value;
            return this;
        }

        /** @param value percent, 1 to 100 @return this builder */
        public Builder slowCallRateThreshold(double value) {
            slowCallRateThreshold = value;
            return this;
        }

        /** @param value time open before probing, positive @return this builder */
        public Builder openDuration(Duration value) {
            openDuration = value;
            return this;
        }

        /** @param value calls admitted in half-open, 1 to 10,000 @return this builder */
        public Builder halfOpenProbes(int value) {
            halfOpenProbes = value;
            return this;
        }

        /**
         * @param value how long half-open waits for its probes after admitting the first, positive
         * @return this builder
         */
        public Builder halfOpenMaxWait(Duration value) {
            halfOpenMaxWait = value;
            return this;
        }

        /** @param value failures that count as failures; empty means every one @return this builder */
        public Builder recordExceptions(List<Class<? extends Throwable>> value) {
            recordExceptions = List.copyOf(value);
            return this;
        }

        /** @param value failures that count as neither success nor failure @return this builder */
        public Builder ignoreExceptions(List<Class<? extends Throwable>> value) {
            ignoreExceptions = List.copyOf(value);
            return this;
        }

        /** @param value whether an open breaker reports OUT_OF_SERVICE @return this builder */
        public Builder outOfServiceWhenOpen(boolean value) {
            outOfServiceWhenOpen = value;
            return this;
        }

        /**
         * Builds the config.
         *
         * @return the config
         * @throws InvalidSettingException naming the first setting whose value is not allowed
         */
        public BreakerConfig build() {
            return new BreakerConfig(this);
        }
    }
}
