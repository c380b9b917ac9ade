package dev.resilience.test;

import dev.resilience.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TimeSource} for tests that moves only when the test moves it, so that no test of a retry or a breaker
 * ever sleeps:
 * <ul>
 * <li>{@link #advance} moves the clock and runs, in time order and on the calling thread, every scheduled task
 * (an asynchronous retry) that falls due, each with the clock at its own due time;</li>
 * <li>{@link #sleep} (a synchronous retry's wait) records the wait, runs the action given to {@link #onNextSleep}
 * if there is one, and advances the clock by the wait: it returns at once;</li>
 * <li>{@link #schedule} only queues the task: it runs when the clock is advanced to its time.</li>
 * </ul>
 * The clock starts at one second (a monotonic reading, not a date). Declare it as the application's
 * {@code TimeSource} bean, and the starter's breakers and retries use it.
 *
 * <p>Thread-safe: tasks run outside the lock, so a task may schedule another.
 */
public final class ManualTimeSource implements TimeSource {

    private final List<Long> sleeps = new ArrayList<>();
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long now = 1_000_000_000L;
    private long sequence;
    private Runnable onNextSleep;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    /** Records the wait, runs the {@link #onNextSleep} action if there is one, then advances the clock by it. */
    @Override
    public void sleep(long nanos) {
        Runnable action;
        synchronized (this) {
            sleeps.add(nanos);
            action = onNextSleep;
            onNextSleep = null;
        }
        if (action != null) {
            action.run();
        }
        advance(nanos);
    }

    /** Queues the task; it runs when the clock is advanced past {@code delayNanos} from now. */
    @Override
    public synchronized void schedule(Runnable task, long delayNanos) {
        tasks.add(new Task(now + Math.max(0, delayNanos), sequence++, task));
    }

    /**
     * Moves the clock forward and runs every task that falls due by then.
     *
     * @param duration how far, zero or more
     */
    public void advance(Duration duration) {
        advance(duration.toNanos());
    }

    /**
     * Moves the clock forward and runs every task that falls due by then.
     *
     * @param amount how far, zero or more
     * @param unit its unit
     */
    public void advance(long amount, TimeUnit unit) {
        advance(unit.toNanos(amount));
    }

    /**
     * Moves the clock forward and runs, in time order, every task that falls due by then, the clock at each task's
     * due time while it runs.
     *
     * @param nanos how far, in nanoseconds, zero or more
     * @throws IllegalArgumentException when {@code nanos} is negative: a monotonic clock never goes back
     */
    public void advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("A ManualTimeSource only moves forward, but was asked to advance by "
                    + nanos + " ns; pass zero or more");
        }
        long target;
        synchronized (this) {
            target = now + nanos;
        }
        for (;;) {
            Task due;
            synchronized (this) {
                Task next = tasks.peek();
                if (next == null || next.at() > target) {
                    now = Math.max(now, target);
                    return;
                }
                due = tasks.poll();
                now = Math.max(now, due.at());
            }
            due.task().run();
        }
    }

    /**
     * Runs an action once, at the next {@link #sleep}, before the clock moves: for example, restarting a dependency
     * between two attempts.
     *
     * @param action what to do
     */
    public synchronized void onNextSleep(Runnable action) {
        this.onNextSleep = action;
    }

    /** @return every wait that {@link #sleep} was asked for, in nanoseconds, oldest first */
    public synchronized List<Long> sleeps() {
        return List.copyOf(sleeps);
    }

    /** @return every wait that {@link #sleep} was asked for, oldest first */
    public synchronized List<Duration> waits() {
        return sleeps.stream().map(Duration::ofNanos).toList();
    }

    /** @return how many scheduled tasks have not run yet */
    public synchronized int pendingTasks() {
        return tasks.size();
    }

    /** Forgets the recorded waits, the pending tasks and the {@link #onNextSleep} action; the clock keeps its time. */
    public synchronized void clear() {
        sleeps.clear();
        tasks.clear();
        onNextSleep = null;
    }

    @Override
    public synchronized String toString() {
        return "ManualTimeSource[now=" + now + "ns, pending=" + tasks.size() + "]";
    }

    private record Task(long at, long sequence, Runnable task) implements Comparable<Task> {

        @Override
        public int compareTo(Task other) {
            int byTime = Long.compare(at, other.at);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }
}
