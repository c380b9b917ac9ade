package dev.resilience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A time source that moves only when told: {@link #advance} moves the clock and runs the tasks that fall due;
 * {@link #sleep} records the wait asked for and advances by it. Thread-safe.
 */
final class FakeTime implements TimeSource {

    private final AtomicLong now = new AtomicLong(7_000_000_000L);
    private final List<Long> sleeps = new CopyOnWriteArrayList<>();
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long sequence;

    @Override
    public long nanoTime() {
        return now.get();
    }

    @Override
    public void sleep(long nanos) {
        sleeps.add(nanos);
        advance(nanos);
    }

    @Override
    public void schedule(Runnable task, long delayNanos) {
        synchronized (tasks) {
            tasks.add(new Task(now.get() + delayNanos, sequence++, task));
        }
    }

    void advance(Duration duration) {
        advance(duration.toNanos());
    }

    /** Moves the clock forward, running each task that falls due at its own due time, in order. */
    void advance(long nanos) {
        long target = now.get() + nanos;
        for (;;) {
            Task due;
            synchronized (tasks) {
                due = tasks.peek() != null && tasks.peek().due <= target ? tasks.poll() : null;
            }
            if (due == null) {
                now.accumulateAndGet(target, Math::max);
                return;
            }
            now.accumulateAndGet(due.due, Math::max);
            due.task.run();
        }
    }

    /** The waits asked of {@link #sleep}, in order. */
    List<Duration> sleeps() {
        List<Duration> waits = new ArrayList<>();
        sleeps.forEach(nanos -> waits.add(Duration.ofNanos(nanos)));
        return waits;
    }

    /** The delays of the tasks still waiting, in due order. */
    int pendingTasks() {
        synchronized (tasks) {
            return tasks.size();
        }
    }

    private record Task(long due, long order, Runnable task) implements Comparable<Task> {
        @Override
        public int compareTo(Task other) {
            int byDue = Long.compare(due, other.due);
            return byDue != 0 ? byDue : Long.compare(order, other.order);
        }
    }
}
