package dev.resilience;

import java.time.Duration;
import java.util.Optional;

/**
 * Reads a server's own word on when to retry from a failure, such as the {@code Retry-After} header of a 429 or 503
 * answer. When a failed attempt is to be retried and a pushback gives a delay, the retry waits exactly that long
 * instead of its backoff (no jitter); a delay longer than the retry's {@code maxDelay}, or one that would end past its
 * {@code maxDuration}, ends the operation at once with the failure. Pushback never makes a failure retryable: the
 * retry's own rules decide first. Implementations must be thread-safe and quick, and must not throw.
 */
@FunctionalInterface
public interface Pushback {

    /** Reads nothing. */
    Pushback NONE = failure -> Optional.empty();

    /**
     * The server's delay carried by a failure.
     *
     * @param failure the failure of an attempt, as the body threw it
     * @return the delay, zero or more, or empty when the failure carries none
     */
    Optional<Duration> delay(Throwable failure);
}
