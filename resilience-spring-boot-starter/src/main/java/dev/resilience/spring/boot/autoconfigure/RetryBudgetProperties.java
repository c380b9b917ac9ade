package dev.resilience.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code resilience.retry.budget}: how many retries each dependency (a breaker's name) may get, shared by every
 * method that names it. Over the last {@code window}, a retry is allowed while the retries allowed stay below
 * {@code ratio} times the first attempts plus {@code min-retries-per-second} times the window in seconds.
 */
public class RetryBudgetProperties {

    /** Every breaker's budget starts from these values. */
    private final Defaults defaults = new Defaults();

    /** Budgets by breaker name; any key of the defaults can be overridden. Every name must be a breaker's. */
    private Map<String, Instance> instances = new LinkedHashMap<>();

    /** @return every budget's starting values */
    public Defaults getDefaults() {
        return defaults;
    }

    /** @return budgets by breaker name */
    public Map<String, Instance> getInstances() {
        return instances;
    }

    /** @param instances budgets by breaker name */
    public void setInstances(Map<String, Instance> instances) {
        this.instances = instances;
    }

    /** The values every budget starts from, with the contract's defaults (Finagle's numbers). */
    public static class Defaults {

        /** Whether retries are limited by a budget at all. */
        private boolean enabled = true;

        /** Share of the first attempts that retries may add, 0 to 10. */
        private double ratio = 0.2;

        /** Retries always allowed at this rate, whatever the traffic, 0 or more. */
        private int minRetriesPerSecond = 10;

        /** Span over which first attempts and retries are counted, 1s to 60s. */
        private Duration window = Duration.ofSeconds(10);

        /** @return whether retries are limited by a budget */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether retries are limited by a budget */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return share of the first attempts that retries may add */
        public double getRatio() {
            return ratio;
        }

        /** @param ratio share of the first attempts that retries may add */
        public void setRatio(double ratio) {
            this.ratio = ratio;
        }

        /** @return retries always allowed per second */
        public int getMinRetriesPerSecond() {
            return minRetriesPerSecond;
        }

        /** @param minRetriesPerSecond retries always allowed per second */
        public void setMinRetriesPerSecond(int minRetriesPerSecond) {
            this.minRetriesPerSecond = minRetriesPerSecond;
        }

        /** @return span over which attempts are counted */
        public Duration getWindow() {
            return window;
        }

        /** @param window span over which attempts are counted */
        public void setWindow(Duration window) {
            this.window = window;
        }
    }

    /** One breaker's budget: each key it does not set comes from the defaults. */
    public static class Instance {

        /** Whether retries are limited by a budget; default resilience.retry.budget.defaults.enabled. */
        private Boolean enabled;

        /** Share of the first attempts that retries may add; default resilience.retry.budget.defaults.ratio. */
        private Double ratio;

        /** Retries always allowed per second; default resilience.retry.budget.defaults.min-retries-per-second. */
        private Integer minRetriesPerSecond;

        /** Span over which attempts are counted; default resilience.retry.budget.defaults.window. */
        private Duration window;

        /** @return whether retries are limited by a budget */
        public Boolean getEnabled() {
            return enabled;
        }

        /** @param enabled whether retries are limited by a budget */
        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        /** @return share of the first attempts that retries may add */
        public Double getRatio() {
            return ratio;
        }

        /** @param ratio share of the first attempts that retries may add */
        public void setRatio(Double ratio) {
            this.ratio = ratio;
        }

        /** @return retries always allowed per second */
        public Integer getMinRetriesPerSecond() {
            return minRetriesPerSecond;
        }

        /** @param minRetriesPerSecond retries always allowed per second */
        public void setMinRetriesPerSecond(Integer minRetriesPerSecond) {
            this.minRetriesPerSecond = minRetriesPerSecond;
        }

        /** @return span over which attempts are counted */
        public Duration getWindow() {
            return window;
        }

        /** @param window span over which attempts are counted */
        public void setWindow(Duration window) {
            this.window = window;
        }
    }
}
