package dev.resilience.spring.boot.testsupport;

import dev.resilience.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A time source for tests: the clock moves only when the test advances it; a sleep records the wait asked for and
 * advances the clock by it; a scheduled task runs when the clock is advanced past its time, on the advancing
 * thread. Thread-safe.
 */
public final class FakeTimeSource implements TimeSource {

    private final List<Long> sleeps = new ArrayList<>();
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long now = 1_000_000_000L;
    private long sequence;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public void sleep(long nanos) {
        synchronized (this) {
            sleeps.add(nanos);
        }
        advance(nanos);
    }

    @Override
    public synchronized void schedule(Runnable task, long delayNanos) {
        tasks.add(new Task(now + delayNanos, sequence++, task));
    }

    /** Moves the clock forward and runs, in time order, every task that is due by then. */
    public void advance(Duration duration) {
        advance(duration.toNanos());
    }

    /** Moves the clock forward by that many nanoseconds and runs every task that is due by then. */
    public void advance(long nanos) {
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

    /** @return every wait that a sleep asked for, in nanoseconds, in order */
    public synchronized List<Long> sleeps() {
        return List.copyOf(sleeps);
    }

    /** @return how many scheduled tasks have not run yet */
    public synchronized int pendingTasks() {
        return tasks.size();
    }

    /** Forgets the sleeps and drops the pending tasks; the clock keeps its time. */
    public synchronized void clear() {
        sleeps.clear();
        tasks.clear();
    }

    private record Task(long at, long sequence, Runnable task) implements Comparable<Task> {

        @Override
        public int compareTo(Task other) {
            int byTime = Long.compare(at, other.at);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }
}
