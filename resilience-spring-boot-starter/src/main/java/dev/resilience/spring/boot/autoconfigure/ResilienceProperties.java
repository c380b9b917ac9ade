package dev.resilience.spring.boot.autoconfigure;

import dev.resilience.BreakerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Everything under {@code resilience.} in the application's configuration: the circuit breakers (defaults and
 * named instances) and the defaults of {@code @Retry}. An unknown key under {@code resilience.} fails startup.
 * The values are checked when the breakers are built, at startup.
 */
@ConfigurationProperties(prefix = "resilience", ignoreUnknownFields = false)
public class ResilienceProperties {

    /** Circuit breakers. */
    private final BreakerProperties breaker = new BreakerProperties();

    /** Retries. */
    private final RetryProperties retry = new RetryProperties();

    /** @return the circuit breakers' properties */
    public BreakerProperties getBreaker() {
        return breaker;
    }

    /** @return the retries' properties */
    public RetryProperties getRetry() {
        return retry;
    }

    /** Properties under {@code resilience.breaker}. */
    public static class BreakerProperties {

        /**
         * Whether every name used in a @Breaker annotation must be declared under resilience.breaker.instances.
         * When false, an undeclared breaker runs on the defaults (it is still created at startup).
         */
        private boolean requireDeclared = true;

        /** Settings every breaker starts from. */
        private final BreakerDefaults defaults = new BreakerDefaults();

        /** Breakers by name, one per dependency; each key given here overrides the defaults. */
        private Map<String, BreakerInstance> instances = new LinkedHashMap<>();

        /** @return whether an annotation must name a declared breaker */
        public boolean isRequireDeclared() {
            return requireDeclared;
        }

        /** @param requireDeclared whether an annotation must name a declared breaker */
        public void setRequireDeclared(boolean requireDeclared) {
            this.requireDeclared = requireDeclared;
        }

        /** @return the settings every breaker starts from */
        public BreakerDefaults getDefaults() {
            return defaults;
        }

        /** @return the declared breakers by name */
        public Map<String, BreakerInstance> getInstances() {
            return instances;
        }

        /** @param instances the declared breakers by name */
        public void setInstances(Map<String, BreakerInstance> instances) {
            this.instances = instances;
        }
    }

    /** Properties under {@code resilience.breaker.defaults}: the settings every breaker starts from. */
    public static class BreakerDefaults {

        /**
         * How the window keeps calls: the last window-size calls (count) or the calls of the last window-duration
         * (time).
         */
        private BreakerConfig.WindowType windowType = BreakerConfig.WindowType.COUNT;

        /** Calls kept by a count window, 1 to 1,000,000. */
        private int windowSize = 100;

        /** Span of a time window. */
        private Duration windowDuration = Duration.ofSeconds(60);

        /** Calls in the window before the breaker decides anything; at most window-size for a count window. */
        private int minimumCalls = 20;

        /** Failure rate, in percent (1 to 100), at or above which the breaker opens. */
        private double failureRateThreshold = 50;

        /** Duration at or above which a call counts as slow. */
        private Duration slowCallDuration = Duration.ofSeconds(60);

        /** Slow-call rate, in percent (1 to 100), at or above which the breaker opens. */
        private double slowCallRateThreshold = 100;

        /** Time the breaker stays open before it admits probes. */
        private Duration openDuration = Duration.ofSeconds(30);

        /** Calls admitted in half-open, 1 to 10,000. */
        private int halfOpenProbes = 5;

        /**
         * Longest time half-open waits for its probes, from the first probe's admission; then it decides over the
         * probes completed so far (none: it opens again).
         */
        private Duration halfOpenMaxWait = Duration.ofSeconds(60);

        /**
         * Exceptions counted as failures, matched on the cause chain. Empty: every exception. When not empty, an
         * exception it does not list counts as a success (the dependency answered).
         */
        private List<Class<? extends Throwable>> recordExceptions = new ArrayList<>();

        /** Exceptions counted as neither success nor failure, matched on the cause chain. */
        private List<Class<? extends Throwable>> ignoreExceptions = new ArrayList<>();

        /** Whether an open breaker reports OUT_OF_SERVICE to health checks (for a readiness group). */
        private boolean outOfServiceWhenOpen;

        /** @return how the window keeps calls */
        public BreakerConfig.WindowType getWindowType() {
            return windowType;
        }

        /** @param windowType how the window keeps calls */
        public void setWindowType(BreakerConfig.WindowType windowType) {
            this.windowType = windowType;
        }

        /** @return calls kept by a count window */
        public int getWindowSize() {
            return windowSize;
        }

        /** @param windowSize calls kept by a count window */
        public void setWindowSize(int windowSize) {
            this.windowSize = windowSize;
        }

        /** @return span of a time window */
        public Duration getWindowDuration() {
            return windowDuration;
        }

        /** @param windowDuration span of a time window */
        public void setWindowDuration(Duration windowDuration) {
            this.windowDuration = windowDuration;
        }

        /** @return calls before any decision */
        public int getMinimumCalls() {
            return minimumCalls;
        }

        /** @param minimumCalls calls before any decision */
        public void setMinimumCalls(int minimumCalls) {
            this.minimumCalls = minimumCalls;
        }

        /** @return failure-rate threshold in percent */
        public double getFailureRateThreshold() {
            return failureRateThreshold;
        }

        /** @param failureRateThreshold failure-rate threshold in percent */
        public void setFailureRateThreshold(double failureRateThreshold) {
            this.failureRateThreshold = failureRateThreshold;
        }

        /** @return duration of a slow call */
        public Duration getSlowCallDuration() {
            return slowCallDuration;
        }

        /** @param slowCallDuration duration of a slow call */
        public void setSlowCallDuration(Duration slowCallDuration) {
            this.slowCallDuration = slowCallDuration;
        }

        /** @return slow-call-rate threshold in percent */
        public double getSlowCallRateThreshold() {
            return slowCallRateThreshold;
        }

        /** @param slowCallRateThreshold slow-call-rate threshold in percent */
        public void setSlowCallRateThreshold(double slowCallRateThreshold) {
            this.slowCallRateThreshold = slowCallRateThreshold;
        }

        /** @return time open before probing */
        public Duration getOpenDuration() {
            return openDuration;
        }

        /** @param openDuration time open before probing */
        public void setOpenDuration(Duration openDuration) {
            this.openDuration = openDuration;
        }

        /** @return calls admitted in half-open */
        public int getHalfOpenProbes() {
            return halfOpenProbes;
        }

        /** @param halfOpenProbes calls admitted in half-open */
        public void setHalfOpenProbes(int halfOpenProbes) {
            this.halfOpenProbes = halfOpenProbes;
        }

        /** @return longest time half-open waits for its probes */
        public Duration getHalfOpenMaxWait() {
            return halfOpenMaxWait;
        }

        /** @param halfOpenMaxWait longest time half-open waits for its probes */
        public void setHalfOpenMaxWait(Duration halfOpenMaxWait) {
            this.halfOpenMaxWait = halfOpenMaxWait;
        }

        /** @return exceptions counted as failures */
        public List<Class<? extends Throwable>> getRecordExceptions() {
            return recordExceptions;
        }

        /** @param recordExceptions exceptions counted as failures */
        public void setRecordExceptions(List<Class<? extends Throwable>> recordExceptions) {
            this.recordExceptions = recordExceptions;
        }

        /** @return exceptions counted as neither success nor failure */
        public List<Class<? extends Throwable>> getIgnoreExceptions() {
            return ignoreExceptions;
        }

        /** @param ignoreExceptions exceptions counted as neither success nor failure */
        public void setIgnoreExceptions(List<Class<? extends Throwable>> ignoreExceptions) {
            this.ignoreExceptions = ignoreExceptions;
        }

        /** @return whether an open breaker reports OUT_OF_SERVICE */
        public boolean isOutOfServiceWhenOpen() {
            return outOfServiceWhenOpen;
        }

        /** @param outOfServiceWhenOpen whether an open breaker reports OUT_OF_SERVICE */
        public void setOutOfServiceWhenOpen(boolean outOfServiceWhenOpen) {
            this.outOfServiceWhenOpen = outOfServiceWhenOpen;
        }
    }

    /**
     * Properties under {@code resilience.breaker.instances.<name>}: one breaker. Every key is optional and, when
     * given, overrides the same key of {@code resilience.breaker.defaults}.
     *
     * <p>It repeats the keys of {@link BreakerDefaults} on purpose: here a key is a nullable wrapper (null means
     * "inherit"), there it is a value with its default as a field initializer, which is where the configuration
     * processor reads the defaults that IDEs show. One shared class would either lose those defaults or give every
     * instance the built-in defaults instead of {@code resilience.breaker.defaults}. A test keeps the two key sets
     * equal.
     */
    public static class BreakerInstance {

        /** How the window keeps calls (count or time); default resilience.breaker.defaults.window-type. */
        private BreakerConfig.WindowType windowType;

        /** Calls kept by a count window; default resilience.breaker.defaults.window-size. */
        private Integer windowSize;

        /** Span of a time window; default resilience.breaker.defaults.window-duration. */
        private Duration windowDuration;

        /** Calls in the window before any decision; default resilience.breaker.defaults.minimum-calls. */
        private Integer minimumCalls;

        /**
         * Failure rate, in percent, at or above which the breaker opens; default
         * resilience.breaker.defaults.failure-rate-threshold.
         */
        private Double failureRateThreshold;

        /** Duration at or above which a call is slow; default resilience.breaker.defaults.slow-call-duration. */
        private Duration slowCallDuration;

        /**
         * Slow-call rate, in percent, at or above which the breaker opens; default
         * resilience.breaker.defaults.slow-call-rate-threshold.
         */
        private Double slowCallRateThreshold;

        /** Time open before probing; default resilience.breaker.defaults.open-duration. */
        private Duration openDuration;

        /** Calls admitted in half-open; default resilience.breaker.defaults.half-open-probes. */
        private Integer halfOpenProbes;

        /** Longest time half-open waits for its probes; default resilience.breaker.defaults.half-open-max-wait. */
        private Duration halfOpenMaxWait;

        /** Exceptions counted as failures (empty: every one); default resilience.breaker.defaults.record-exceptions. */
        private List<Class<? extends Throwable>> recordExceptions;

        /** Exceptions counted as neither success nor failure; default resilience.breaker.defaults.ignore-exceptions. */
        private List<Class<? extends Throwable>> ignoreExceptions;

        /**
         * Whether an open breaker reports OUT_OF_SERVICE; default
         * resilience.breaker.defaults.out-of-service-when-open.
         */
        private Boolean outOfServiceWhenOpen;

        /** @return how the window keeps calls, or null to inherit */
        public BreakerConfig.WindowType getWindowType() {
            return windowType;
        }

        /** @param windowType how the window keeps calls */
        public void setWindowType(BreakerConfig.WindowType windowType) {
            this.windowType = windowType;
        }

        /** @return calls kept by a count window, or null to inherit */
        public Integer getWindowSize() {
            return windowSize;
        }

        /** @param windowSize calls kept by a count window */
        public void setWindowSize(Integer windowSize) {
            this.windowSize = windowSize;
        }

        /** @return span of a time window, or null to inherit */
        public Duration getWindowDuration() {
            return windowDuration;
        }

        /** @param windowDuration span of a time window */
        public void setWindowDuration(Duration windowDuration) {
            this.windowDuration = windowDuration;
        }

        /** @return calls before any decision, or null to inherit */
        public Integer getMinimumCalls() {
            return minimumCalls;
        }

        /** @param minimumCalls calls before any decision */
        public void setMinimumCalls(Integer minimumCalls) {
            this.minimumCalls = minimumCalls;
        }

        /** @return failure-rate threshold in percent, or null to inherit */
        public Double getFailureRateThreshold() {
            return failureRateThreshold;
        }

        /** @param failureRateThreshold failure-rate threshold in percent */
        public void setFailureRateThreshold(Double failureRateThreshold) {
            this.failureRateThreshold = failureRateThreshold;
        }

        /** @return duration of a slow call, or null to inherit */
        public Duration getSlowCallDuration() {
            return slowCallDuration;
        }

        /** @param slowCallDuration duration of a slow call */
        public void setSlowCallDuration(Duration slowCallDuration) {
            this.slowCallDuration = slowCallDuration;
        }

        /** @return slow-call-rate threshold in percent, or null to inherit */
        public Double getSlowCallRateThreshold() {
            return slowCallRateThreshold;
        }

        /** @param slowCallRateThreshold slow-call-rate threshold in percent */
        public void setSlowCallRateThreshold(Double slowCallRateThreshold) {
            this.slowCallRateThreshold = slowCallRateThreshold;
        }

        /** @return time open before probing, or null to inherit */
        public Duration getOpenDuration() {
            return openDuration;
        }

        /** @param openDuration time open before probing */
        public void setOpenDuration(Duration openDuration) {
            this.openDuration = openDuration;
        }

        /** @return calls admitted in half-open, or null to inherit */
        public Integer getHalfOpenProbes() {
            return halfOpenProbes;
        }

        /** @param halfOpenProbes calls admitted in half-open */
        public void setHalfOpenProbes(Integer halfOpenProbes) {
            this.halfOpenProbes = halfOpenProbes;
        }

        /** @return longest time half-open waits for its probes */
        public Duration getHalfOpenMaxWait() {
            return halfOpenMaxWait;
        }

        /** @param halfOpenMaxWait longest time half-open waits for its probes */
        public void setHalfOpenMaxWait(Duration halfOpenMaxWait) {
            this.halfOpenMaxWait = halfOpenMaxWait;
        }

        /** @return exceptions counted as failures, or null to inherit */
        public List<Class<? extends Throwable>> getRecordExceptions() {
            return recordExceptions;
        }

        /** @param recordExceptions exceptions counted as failures */
        public void setRecordExceptions(List<Class<? extends Throwable>> recordExceptions) {
            this.recordExceptions = recordExceptions;
        }

        /** @return exceptions counted as neither success nor failure, or null to inherit */
        public List<Class<? extends Throwable>> getIgnoreExceptions() {
            return ignoreExceptions;
        }

        /** @param ignoreExceptions exceptions counted as neither success nor failure */
        public void setIgnoreExceptions(List<Class<? extends Throwable>> ignoreExceptions) {
            this.ignoreExceptions = ignoreExceptions;
        }

        /** @return whether an open breaker reports OUT_OF_SERVICE, or null to inherit */
        public Boolean getOutOfServiceWhenOpen() {
            return outOfServiceWhenOpen;
        }

        /** @param outOfServiceWhenOpen whether an open breaker reports OUT_OF_SERVICE */
        public void setOutOfServiceWhenOpen(Boolean outOfServiceWhenOpen) {
            this.outOfServiceWhenOpen = outOfServiceWhenOpen;
        }
    }

    /** Properties under {@code resilience.retry}. */
    public static class RetryProperties {

        /** What a @Retry annotation takes when it does not say. */
        private final RetryDefaultsProperties defaults = new RetryDefaultsProperties();

        /**
         * Exceptions, besides ConnectException, UnknownHostException, NoRouteToHostException and
         * HttpConnectTimeoutException, whose presence in a failure's cause chain proves that the request never
         * reached the dependency, so that even a non-idempotent operation may be retried.
         */
        private List<Class<? extends Throwable>> neverSentExceptions = new ArrayList<>();

        /** Retries per dependency (the breaker's name), shared by every method naming it. */
        @NestedConfigurationProperty
        private final RetryBudgetProperties budget = new RetryBudgetProperties();

        /** @return what a @Retry annotation takes when it does not say */
        public RetryDefaultsProperties getDefaults() {
            return defaults;
        }

        /** @return the retry budgets */
        public RetryBudgetProperties getBudget() {
            return budget;
        }

        /** @return the never-sent exceptions besides the built-in ones */
        public List<Class<? extends Throwable>> getNeverSentExceptions() {
            return neverSentExceptions;
        }

        /** @param neverSentExceptions the never-sent exceptions besides the built-in ones */
        public void setNeverSentExceptions(List<Class<? extends Throwable>> neverSentExceptions) {
            this.neverSentExceptions = neverSentExceptions;
        }
    }

    /** Properties under {@code resilience.retry.defaults}. */
    public static class RetryDefaultsProperties {

        /** Wait before the first retry, when @Retry(delay) is empty. */
        private Duration delay = Duration.ofMillis(100);

        /** Cap of any single wait, when @Retry(maxDelay) is empty; at least delay. */
        private Duration maxDelay = Duration.ofSeconds(5);

        /** Growth of the wait from one retry to the next, 1.0 to 100.0. */
        private double multiplier = 2.0;

        /** Fraction of each wait that is random, 0 to 1: each wait lies between nominal * (1 - jitter) and nominal. */
        private double jitter = 0.5;

        /** @return wait before the first retry */
        public Duration getDelay() {
            return delay;
        }

        /** @param delay wait before the first retry */
        public void setDelay(Duration delay) {
            this.delay = delay;
        }

        /** @return cap of any single wait */
        public Duration getMaxDelay() {
            return maxDelay;
        }

        /** @param maxDelay cap of any single wait */
        public void setMaxDelay(Duration maxDelay) {
            this.maxDelay = maxDelay;
        }

        /** @return growth of the wait */
        public double getMultiplier() {
            return multiplier;
        }

        /** @param multiplier growth of the wait */
        public void setMultiplier(double multiplier) {
            this.multiplier = multiplier;
        }

        /** @return random fraction of each wait */
        public double getJitter() {
            return jitter;
        }

        /** @param jitter random fraction of each wait */
        public void setJitter(double jitter) {
            this.jitter = jitter;
        }
    }
}
