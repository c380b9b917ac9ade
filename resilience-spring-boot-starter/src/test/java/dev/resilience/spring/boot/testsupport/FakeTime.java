package dev.resilience.spring.boot.testsupport;

import dev.resilience.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told to: sleeping advances it, and scheduled tasks run at once after advancing. */
public final class FakeTime implements TimeSource {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<Long> sleeps = new CopyOnWriteArrayList<>();

    @Override
    public long nanoTime() {
        return now.get();
    }

    @Override
    public void sleep(long nanos) {
        sleeps.add(nanos);
        now.addAndGet(nanos);
    }

    @Override
    public void schedule(Runnable task, long delayNanos) {
        sleep(delayNanos);
        task.run();
    }

    /** @param duration how far to move the clock */
    public void advance(Duration duration) {
        now.addAndGet(duration.toNanos());
    }

    /** @return the waits asked of this clock, in order */
    public List<Long> sleeps() {
        return List.copyOf(sleeps);
    }
}
