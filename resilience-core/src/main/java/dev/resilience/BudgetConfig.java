package dev.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of one dependency's retry budget, validated when made. The defaults are Finagle's: retries may add
 * 20 % of the first attempts, plus 10 retries per second whatever the traffic, counted over the last 10 s.
 *
 * @param enabled whether the budget limits retries at all
 * @param ratio the share of first attempts that retries may add, 0 to 10
 * @param minRetriesPerSecond retries allowed at this rate whatever the traffic, 0 or more
 * @param window the span over which first attempts and retries are counted, 1 s to 60 s
 */
public record BudgetConfig(boolean enabled, double ratio, int minRetriesPerSecond, Duration window) {

    private static final BudgetConfig DEFAULTS = new BudgetConfig(true, 0.2, 10, Duration.ofSeconds(10));

    /**
     * Validates the settings.
     *
     * @throws InvalidSettingException naming the first setting whose value is not allowed
     */
    public BudgetConfig {
        if (!(ratio >= 0 && ratio <= 10)) {
            throw new InvalidSettingException("ratio", ratio, "between 0 and 10");
        }
        if (minRetriesPerSecond < 0) {
            throw new InvalidSettingException("min-retries-per-second", minRetriesPerSecond, "0 or more");
        }
        Objects.requireNonNull(window, "window");
        if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new InvalidSettingException("window", Durations.format(window), "between 1s and 60s");
        }
    }

    /** @return the contract's defaults: enabled, ratio 0.2, 10 retries per second, a 10 s window */
    public static BudgetConfig defaults() {
        return DEFAULTS;
    }
}
