package dev.resilience.sample;

import dev.resilience.TimeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when told: {@link #advance} moves it, a retry's {@link #sleep} moves it by the wait and
 * returns at once (after running the optional {@link #onSleep} action, for example restarting a container between
 * two attempts). Real HTTP timeouts still take real time: they are the JDK HttpClient's, not the library's.
 * Thread-safe.
 */
public final class ManualTime implements TimeSource {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<Long> sleeps = new CopyOnWriteArrayList<>();
    private final AtomicReference<Runnable> onSleep = new AtomicReference<>();
    private final List<Scheduled> scheduled = new ArrayList<>();

    @Override
    public long nanoTime() {
        return now.get();
    }

    @Override
    public void sleep(long nanos) {
        sleeps.add(nanos);
        Runnable action = onSleep.getAndSet(null);
        if (action != null) {
            action.run();
        }
        advance(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void schedule(Runnable task, long delayNanos) {
        synchronized (scheduled) {
            scheduled.add(new Scheduled(now.get() + delayNanos, task));
        }
        advance(0, TimeUnit.NANOSECONDS);
    }

    /** Moves the clock forward and runs the scheduled tasks that became due. */
    public void advance(long amount, TimeUnit unit) {
        long target = now.addAndGet(unit.toNanos(amount));
        List<Runnable> due = new ArrayList<>();
        synchronized (scheduled) {
            scheduled.removeIf(task -> task.at() <= target && due.add(task.task()));
        }
        due.forEach(Runnable::run);
    }

    /** Runs the action once, at the next retry wait, before the wait returns. */
    public void onNextSleep(Runnable action) {
        onSleep.set(action);
    }

    /** @return every wait asked of {@link #sleep}, in nanoseconds, in order */
    public List<Long> sleeps() {
        return List.copyOf(sleeps);
    }

    /** Forgets the recorded waits and the pending action. */
    public void clear() {
        sleeps.clear();
        onSleep.set(null);
    }

    private record Scheduled(long at, Runnable task) {
    }
}
