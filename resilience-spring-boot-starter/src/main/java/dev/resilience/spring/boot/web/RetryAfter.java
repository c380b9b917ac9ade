package dev.resilience.spring.boot.web;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads an HTTP {@code Retry-After} value (RFC 9110, section 10.2.3): a number of seconds, or an HTTP date, which
 * is read against the wall clock. A date in the past is a delay of zero; anything else that does not parse is no
 * delay at all.
 */
final class RetryAfter {

    private RetryAfter() {
    }

    static Optional<Duration> parse(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String text = value.trim();
        if (text.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
            } catch (NumberFormatException tooLong) {
                return Optional.empty();
            }
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration left = Duration.between(clock.instant(), at.toInstant());
            return Optional.of(left.isNegative() ? Duration.ZERO : left);
        } catch (DateTimeParseException notADate) {
            return Optional.empty();
        }
    }
}
