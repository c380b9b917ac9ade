package dev.resilience;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The last {@code size} calls, in a ring. Each call takes the next slot, swaps its outcome in, and adds the
 * difference with the outcome it replaced to one packed tally, so counting is exact without a lock and a
 * success allocates nothing.
 *
 * <p>A healthy window, full of fast successes, is not written at all by one more fast success: replacing a success
 * with a success changes nothing, and since every slot holds the same outcome, which slot the cursor points at cannot
 * be observed either. So the common case is one read of a line that no thread writes, and threads on several cores
 * do not contend.
 */
final class CountWindow implements Window {

    private final int size;
    private final AtomicIntegerArray slots;
    private final AtomicLong cursor = new AtomicLong();
    private final AtomicLong tally = new AtomicLong();
    private final long healthy;

    CountWindow(int size) {
        this.size = size;
        this.slots = new AtomicIntegerArray(size);
        this.healthy = Tally.of(size, 0, 0);
    }

    @Override
    public long record(int bits) {
        if (bits == 0 && tally.get() == healthy) {
            return healthy;
        }
        int slot = (int) Long.remainderUnsigned(cursor.getAndIncrement(), size);
        int outcome = bits | Tally.PRESENT;
        int replaced = slots.getAndSet(slot, outcome);
        return tally.addAndGet(Tally.delta(replaced, outcome));
    }

    @Override
    public long tally() {
        return tally.get();
    }

    @Override
    public Counts counts() {
        return Counts.of(tally.get());
    }
}
