package dev.resilience;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The calls of the last {@code duration}, in {@value #BUCKETS} buckets of {@code duration / BUCKETS} each. A
 * bucket is replaced, by one compare-and-set, when its slot comes round again; that allocates once per bucket
 * span, never per call. A count that lands in a bucket just replaced belongs to a span that has left the window.
 *
 * <p>A bucket counts calls, failures and slow calls in three {@code long}s, exact up to 2^63 each, more than a JVM
 * makes in any span; a fast success writes one of them. A call adds to {@code calls} first and to the others after,
 * and a reader reads them in the opposite order: it never sees more failures or slow calls than calls.
 */
final class TimeWindow implements Window {

    static final int BUCKETS = 20;
    private static final long MAX_CALLS = BreakerConfig.MAX_WINDOW_SIZE;

    private final TimeSource time;
    private final long bucketNanos;
    private final AtomicReferenceArray<Bucket> buckets = new AtomicReferenceArray<>(BUCKETS);

    TimeWindow(long durationNanos, TimeSource time) {
        this.time = time;
        this.bucketNanos = Math.max(1, durationNanos / BUCKETS);
    }

    @Override
    public long record(int bits) {
        long now = time.nanoTime();
        long tick = Math.floorDiv(now, bucketNanos);
        Bucket bucket = bucketFor(tick);
        if (bucket != null) {
            bucket.calls.incrementAndGet();
            if ((bits & Tally.FAILED) != 0) {
                bucket.failures.incrementAndGet();
            }
            if ((bits & Tally.SLOW) != 0) {
                bucket.slows.incrementAndGet();
            }
        }
        return tally();
    }

    @Override
    public long tally() {
        Counts counts = counts();
        long calls = counts.calls();
        if (calls <= MAX_CALLS) {
            return Tally.of(calls, counts.failures(), counts.slows());
        }
        return Tally.of(MAX_CALLS, scaled(counts.failures(), calls), scaled(counts.slows(), calls));
    }

    /** {@code part} of {@code calls} as a part of {@code MAX_CALLS}, rounded down, without overflow at any count. */
    private static long scaled(long part, long calls) {
        return (long) ((double) part / calls * MAX_CALLS);
    }

    @Override
    public Counts counts() {
        long now = time.nanoTime();
        long tick = Math.floorDiv(now, bucketNanos);
        long calls = 0;
        long failures = 0;
        long slows = 0;
        for (int i = 0; i < BUCKETS; i++) {
            Bucket bucket = buckets.get(i);
            if (bucket != null && bucket.tick <= tick && bucket.tick > tick - BUCKETS) {
                slows += bucket.slows.get();
                failures += bucket.failures.get();
                calls += bucket.calls.get();
            }
        }
        return new Counts(calls, failures, slows);
    }

    private Bucket bucketFor(long tick) {
        int index = (int) Math.floorMod(tick, (long) BUCKETS);
        for (;;) {
            Bucket current = buckets.get(index);
            if (current != null && current.tick == tick) {
                return current;
            }
            if (current != null && current.tick > tick) {
                return null; // this caller stalled for a whole window: its call is already outside it
            }
            Bucket fresh = new Bucket(tick);
            if (buckets.compareAndSet(index, current, fresh)) {
                return fresh;
            }
        }
    }

    private static final class Bucket {
        final long tick;
        final AtomicLong calls = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        final AtomicLong slows = new AtomicLong();

        Bucket(long tick) {
            this.tick = tick;
        }
    }
}
