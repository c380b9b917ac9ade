package dev.resilience;

/**
 * Three counters packed into one {@code long}, so that a window updates and reads them in one atomic step:
 * calls, failures and slow calls, 21 bits each. It serves counts bounded by a setting: a count window (at most
 * {@link BreakerConfig#MAX_WINDOW_SIZE} calls) and a half-open round (at most {@link BreakerConfig#MAX_PROBES}); a
 * time window, whose counts have no such bound, keeps wider counters and is scaled down to fit. A field may go briefly negative while concurrent updates are
 * applied out of order (a slot overwritten before its first write was added), so fields are signed and decoded
 * as balanced digits: the sum of the applied deltas is always exact.
 */
final class Tally {

    static final int FAILED = 1;
    static final int SLOW = 2;
    static final int PRESENT = 4;

    private static final int BITS = 21;
    private static final long MASK = (1L << BITS) - 1;

    private Tally() {
    }

    /** The delta that turns a slot holding {@code old} outcome bits into one holding {@code now}. */
    static long delta(int old, int now) {
        return of(present(now) - present(old), bit(now, FAILED) - bit(old, FAILED), bit(now, SLOW) - bit(old, SLOW));
    }

    /** One more call with the given outcome bits. */
    static long one(int bits) {
        return of(1, bit(bits, FAILED), bit(bits, SLOW));
    }

    static long of(long calls, long failures, long slows) {
        return calls + (failures << BITS) + (slows << (2 * BITS));
    }

    static int calls(long tally) {
        return (int) low(tally);
    }

    static int failures(long tally) {
        long rest = (tally - low(tally)) >> BITS;
        return (int) low(rest);
    }

    static int slows(long tally) {
        long rest = (tally - low(tally)) >> BITS;
        return (int) ((rest - low(rest)) >> BITS);
    }

    private static long low(long value) {
        return (value << (64 - BITS)) >> (64 - BITS);
    }

    private static int present(int bits) {
        return (bits & PRESENT) != 0 ? 1 : 0;
    }

    private static int bit(int bits, int flag) {
        return (bits & flag) != 0 ? 1 : 0;
    }
}
