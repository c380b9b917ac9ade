package dev.resilience;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A breaker's state: one immutable value that the breaker swaps with a compare-and-set, so that every transition
 * is one atomic step. Each state has an epoch, one more than the state it replaced; a permit carries the epoch of
 * the state that issued it, and an outcome counts only while that state is still current.
 */
sealed interface State {

    long epoch();

    BreakerState name();

    /** Calls flow and are counted in the window. */
    record Closed(long epoch, Window window) implements State {
        @Override
        public BreakerState name() {
            return BreakerState.CLOSED;
        }
    }

    /** Calls are rejected until {@code until}; {@code tally} is the window that opened the breaker. */
    record Open(long epoch, long since, long until, long tally) implements State {
        @Override
        public BreakerState name() {
            return BreakerState.OPEN;
        }
    }

    /**
     * One round of probes: {@code admitted} counts the permits handed out (never more than the probes),
     * {@code completed} the probes that ended, {@code tally} the outcomes that count.
     */
    record HalfOpen(long epoch, AtomicInteger admitted, AtomicInteger completed, AtomicLong tally) implements State {

        HalfOpen(long epoch) {
            this(epoch, new AtomicInteger(), new AtomicInteger(), new AtomicLong());
        }

        @Override
        public BreakerState name() {
            return BreakerState.HALF_OPEN;
        }
    }

    /** Opened by hand; rejects until closed or reset by hand. */
    record ForcedOpen(long epoch, long since) implements State {
        @Override
        public BreakerState name() {
            return BreakerState.FORCED_OPEN;
        }
    }
}
