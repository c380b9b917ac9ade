package dev.resilience;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations written in annotations the way Spring Boot reads them in properties, and writes them for people. */
final class Durations {

    private static final Pattern SIMPLE = Pattern.compile("^([+-]?\\d+)([a-zA-Z]{0,2})$");

    private Durations() {
    }

    /**
     * Parses {@code "500ms"}, {@code "30s"}, {@code "5m"} (units ns, us, ms, s, m, h, d; no unit means ms) or an
     * ISO-8601 duration such as {@code "PT0.5S"}.
     *
     * @throws IllegalArgumentException naming the value and the accepted forms
     */
    static Duration parse(String text) {
        String value = text.trim();
        Matcher simple = SIMPLE.matcher(value);
        try {
            if (simple.matches()) {
                long amount = Long.parseLong(simple.group(1));
                return switch (simple.group(2).toLowerCase(Locale.ROOT)) {
                    case "ns" -> Duration.ofNanos(amount);
                    case "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1000L));
                    case "", "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    case "d" -> Duration.ofDays(amount);
                    default -> throw unparsable(text);
                };
            }
            return Duration.parse(value);
        } catch (DateTimeParseException | ArithmeticException ex) {
            throw unparsable(text);
        }
    }

    private static IllegalArgumentException unparsable(String text) {
        return new IllegalArgumentException("'" + text + "' is not a duration; write a whole number with a unit"
                + " (ns, us, ms, s, m, h, d), such as \"200ms\" or \"2s\", or an ISO-8601 duration such as \"PT0.5S\"");
    }

    /** Writes a span at millisecond precision or finer: {@code 0ms}, {@code 0.250ms}, {@code 250ms}, {@code 5s}, {@code 12.345s}. */
    /** The duration in nanoseconds, or {@code Long.MAX_VALUE} when it is too long to count in them. */
    static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    static String format(long nanos) {
        if (nanos == Long.MIN_VALUE) {
            return Duration.ofNanos(nanos).toString(); // its negation is itself: no recursion would end
        }
        if (nanos < 0) {
            return "-" + format(-nanos);
        }
        if (nanos < 1_000_000_000L) {
            return nanos % 1_000_000L == 0 ? (nanos / 1_000_000L) + "ms"
                    : String.format(Locale.ROOT, "%.3fms", nanos / 1e6);
        }
        return nanos % 1_000_000_000L == 0 ? (nanos / 1_000_000_000L) + "s"
                : String.format(Locale.ROOT, "%.3fs", nanos / 1e9);
    }

    static String format(Duration duration) {
        long nanos;
        try {
            nanos = duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return duration.toString();
        }
        return format(nanos);
    }
}
