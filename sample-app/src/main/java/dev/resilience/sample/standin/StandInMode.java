package dev.resilience.sample.standin;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a stand-in dependency behaves. */
public enum StandInMode {

    /** Answers at once. */
    HEALTHY,
    /** Answers {@code 500 Internal Server Error}, after counting the call. */
    FAILING,
    /** Answers, but only after the configured slow delay (longer than the client's read timeout by default). */
    SLOW,
    /** Closes its server socket: connections are refused and no call reaches it. */
    REFUSING,
    /** Answers {@code 500} to 3 calls in 10, spread evenly, and normally to the others: a partial outage. */
    FLAKY,
    /** Answers {@code 503} with {@code Retry-After: 1} to 1 call in 3, and normally to the others. */
    THROTTLED;

    /** @return the mode's name as the switch API writes it: {@code healthy}, {@code failing}... */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads a mode as the switch API writes it.
     *
     * @param tag {@code healthy}, {@code failing}, {@code slow}, {@code refusing}, {@code flaky} or
     *     {@code throttled}, any case
     * @return the mode
     * @throws IllegalArgumentException naming the allowed modes
     */
    public static StandInMode of(String tag) {
        for (StandInMode mode : values()) {
            if (mode.tag().equalsIgnoreCase(String.valueOf(tag).trim())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("Stand-in mode must be one of "
                + Arrays.stream(values()).map(StandInMode::tag).collect(Collectors.joining(", ")) + ", but was '" + tag + "'");
    }
}
