package dev.resilience;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A breaker's state: one immutable value that the breaker swaps with a compare-and-set, so that every transition
 * is one atomic step. Each state has an epoch, one more than the state it replaced; a permit carries the epoch of
 * the state that issued it, and an outcome counts only while that state is still current. Each state also knows
 * when it began, on the breaker's clock, so that a time-driven transition noticed late is dated at its instant.
 */
sealed interface State {

    long epoch();

    /** When the state began, on the breaker's clock. */
    long since();

    BreakerState name();

    /** Calls flow and are counted in the window. */
    record Closed(long epoch, long since, Window window) implements State {
        @Override
        public BreakerState name() {
            return BreakerState.CLOSED;
        }
    }

    /** Calls are rejected until {@code until}, when the breaker is half-open; {@code tally} opened it. */
    record Open(long epoch, long since, long until, long tally) implements State {
        @Override
        public BreakerState name() {
            return BreakerState.OPEN;
        }
    }

    /**
     * One round of probes: {@code admitted} counts the permits handed out (never more than the probes),
     * {@code completed} the probes that ended, whatever their outcome, {@code tally} the outcomes that count, and
     * {@code deadline} the time at which the round decides over what it has, set when its first probe is admitted.
     */
    record HalfOpen(long epoch, long since, AtomicInteger admitted, AtomicInteger completed, AtomicLong tally,
            AtomicLong deadline) implements State {

        /** The deadline of a round that has admitted no probe yet. */
        static final long NO_DEADLINE = Long.MIN_VALUE;

        HalfOpen(long epoch, long since) {
            this(epoch, since, new AtomicInteger(), new AtomicInteger(), new AtomicLong(),
                    new AtomicLong(NO_DEADLINE));
        }

        /** Whether the round has waited its longest at {@code now}. */
        boolean expired(long now) {
            long at = deadline.get();
            return at != NO_DEADLINE && now - at >= 0;
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
