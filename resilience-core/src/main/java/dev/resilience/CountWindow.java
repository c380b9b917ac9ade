package dev.resilience;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The last {@code size} calls, in a ring. Each call takes the next slot, swaps its outcome in, and adds the
 * difference with the outcome it replaced to one packed tally, so counting is exact without a lock and a
 * success allocates nothing.
 */
final class CountWindow implements Window {

    private final int size;
    private final AtomicIntegerArray slots;
    private final AtomicLong cursor = new AtomicLong();
    private final AtomicLong tally = new AtomicLong();

    CountWindow(int size) {
        this.size = size;
        this.slots = new AtomicIntegerArray(size);
    }

    @Override
    public long record(int bits, long now) {
        int slot = (int) Long.remainderUnsigned(cursor.getAndIncrement(), size);
        int outcome = bits | Tally.PRESENT;
        int replaced = slots.getAndSet(slot, outcome);
        return tally.addAndGet(Tally.delta(replaced, outcome));
    }

    @Override
    public long tally(long now) {
        return tally.get();
    }

    @Override
    public Counts counts(long now) {
        return Counts.of(tally.get());
    }
}
