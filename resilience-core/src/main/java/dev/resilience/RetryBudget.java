package dev.resilience;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The retry budget of one dependency, shared by every guard whose breaker names it, so that retries can never
 * multiply an outage: over the last {@code window}, a retry is allowed while {@code R < ratio × F +
 * minRetriesPerSecond × window}, where {@code F} counts the first attempts that the breaker admitted, of every
 * operation, and {@code R} the retries this budget allowed. A first attempt is never refused.
 *
 * <p>The window is kept in buckets of at most one second, replaced by compare-and-set when their slot comes round
 * again (one allocation per bucket span, never per call). A first attempt's deposit is one increment of a
 * {@link LongAdder}, which spreads concurrent writers over cells: the success path does not contend on one field.
 * A retry reads the window and then counts itself; two retries racing for the last place may both take it, so the
 * budget overshoots by at most the number of threads racing at that instant, never more. Thread-safe and lock-free.
 */
public final class RetryBudget {

    private static final long SECOND = 1_000_000_000L;

    private final String name;
    private final BudgetConfig config;
    private final TimeSource time;
    private final long bucketNanos;
    private final int buckets;
    private final double floor;
    private final AtomicReferenceArray<Bucket> ring;
    private volatile Bucket current;

    private RetryBudget(String name, BudgetConfig config, TimeSource time) {
        this.name = name;
        this.config = config;
        this.time = time;
        long windowNanos = config.window().toNanos();
        this.buckets = (int) Math.max(1, (windowNanos + SECOND - 1) / SECOND);
        this.bucketNanos = Math.max(1, windowNanos / buckets);
        this.floor = config.minRetriesPerSecond() * (windowNanos / (double) SECOND);
        this.ring = new AtomicReferenceArray<>(buckets);
        this.current = bucketFor(time.nanoTime());
    }

    /**
     * Creates the budget of one dependency.
     *
     * @param name the dependency's name: the name of its breaker
     * @param config the settings; a budget that is not {@code enabled} allows every retry
     * @param time the clock
     * @return the budget
     */
    public static RetryBudget of(String name, BudgetConfig config, TimeSource time) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A retry budget's name must not be blank, but was '" + name + "'");
        }
        return new RetryBudget(name, java.util.Objects.requireNonNull(config, "config"),
                java.util.Objects.requireNonNull(time, "time"));
    }

    /** @return the dependency's name */
    public String name() {
        return name;
    }

    /** @return the budget's settings */
    public BudgetConfig config() {
        return config;
    }

    /**
     * Counts a first attempt that the breaker admitted.
     *
     * @param now the clock's reading at the attempt
     */
    public void firstAttempt(long now) {
        bucketAt(now).firsts.increment();
    }

    /**
     * Asks for one retry, and counts it when allowed.
     *
     * @param now the clock's reading
     * @return whether the retry may be made
     */
    public boolean tryRetry(long now) {
        if (!config.enabled()) {
            return true;
        }
        if (available(now) < 1e-9) {
            return false;
        }
        bucketAt(now).retries.incrementAndGet();
        return true;
    }

    /**
     * How many retries the budget would allow now: {@code max(0, ratio × F + minRetriesPerSecond × window - R)}.
     *
     * @return the retries available, possibly fractional
     */
    public double available() {
        return available(time.nanoTime());
    }

    private double available(long now) {
        long tick = Math.floorDiv(now, bucketNanos);
        long firsts = 0;
        long retries = 0;
        for (int i = 0; i < buckets; i++) {
            Bucket bucket = ring.get(i);
            if (bucket != null && bucket.tick <= tick && bucket.tick > tick - buckets) {
                retries += bucket.retries.get();
                firsts += bucket.firsts.sum();
            }
        }
        return Math.max(0, config.ratio() * firsts + floor - retries);
    }

    private Bucket bucketAt(long now) {
        Bucket bucket = current;
        long offset = now - bucket.start;
        if (offset >= 0 && offset < bucketNanos) {
            return bucket;
        }
        bucket = bucketFor(now);
        if (bucket.start - current.start > 0) {
            current = bucket;
        }
        return bucket;
    }

    private Bucket bucketFor(long now) {
        long tick = Math.floorDiv(now, bucketNanos);
        int index = (int) Math.floorMod(tick, (long) buckets);
        for (;;) {
            Bucket found = ring.get(index);
            if (found != null && found.tick >= tick) {
                return found; // the current bucket, or (for a caller that stalled a whole window) a later one
            }
            Bucket fresh = new Bucket(tick, tick * bucketNanos);
            if (ring.compareAndSet(index, found, fresh)) {
                return fresh;
            }
        }
    }

    @Override
    public String toString() {
        return "RetryBudget[" + name + ", " + config + "]";
    }

    private static final class Bucket {
        final long tick;
        final long start;
        final LongAdder firsts = new LongAdder();
        final AtomicLong retries = new AtomicLong();

        Bucket(long tick, long start) {
            this.tick = tick;
            this.start = start;
        }
    }
}
