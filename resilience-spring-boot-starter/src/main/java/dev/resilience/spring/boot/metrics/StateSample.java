package dev.resilience.spring.boot.metrics;

import dev.resilience.BreakerState;
import dev.resilience.CircuitBreaker;
import dev.resilience.TimeSource;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The state that the four {@code resilience.breaker.state} series of one breaker show, read once for all four, so
 * that one scrape shows exactly one state at 1 even when the breaker changes state during the scrape. A sample
 * serves each series once: a series read again, or any series read more than {@value #FRESH_MILLIS} ms after the
 * sample was taken, takes a new one from the breaker (time-driven transitions included); the other series read in
 * the same scrape see that same sample. Thread-safe and lock-free.
 */
final class StateSample {

    static final long FRESH_MILLIS = 1_000;
    private static final long FRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(FRESH_MILLIS);

    private final CircuitBreaker breaker;
    private final TimeSource time;
    private final AtomicReference<Sample> current = new AtomicReference<>(new Sample(null, -1, 0));

    StateSample(CircuitBreaker breaker, TimeSource time) {
        this.breaker = breaker;
        this.time = time;
    }

    /** 1 when the breaker's sampled state is {@code state}, else 0. */
    double is(BreakerState state) {
        int bit = 1 << state.ordinal();
        long now = time.nanoTime();
        for (;;) {
            Sample sample = current.get();
            Sample next = (sample.served & bit) == 0 && now - sample.at < FRESH_NANOS
                    ? new Sample(sample.state, sample.served | bit, sample.at)
                    : new Sample(breaker.state(), bit, now);
            if (current.compareAndSet(sample, next)) {
                return next.state == state ? 1 : 0;
            }
        }
    }

    /** A reading of the state, when it was taken, and the series that have shown it, one bit per state. */
    private record Sample(BreakerState state, int served, long at) {
    }
}
