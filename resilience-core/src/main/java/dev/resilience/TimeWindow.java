package dev.resilience;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The calls of the last {@code duration}, in {@value #BUCKETS} buckets of {@code duration / BUCKETS} each. A
 * bucket is replaced, by one compare-and-set, when its slot comes round again; that allocates once per bucket
 * span, never per call. A count that lands in a bucket just replaced belongs to a span that has left the window.
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
            bucket.tally.addAndGet(Tally.one(bits));
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
        return Tally.of(MAX_CALLS, counts.failures() * MAX_CALLS / calls, counts.slows() * MAX_CALLS / calls);
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
                long tally = bucket.tally.get();
                calls += Tally.calls(tally);
                failures += Tally.failures(tally);
                slows += Tally.slows(tally);
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
        final AtomicLong tally = new AtomicLong();

        Bucket(long tick) {
            this.tick = tick;
        }
    }
}
