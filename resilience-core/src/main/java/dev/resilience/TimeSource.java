package dev.resilience;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one seam through which the library reads time and waits: the monotonic clock, blocking sleeps (synchronous
 * retries) and delayed tasks (asynchronous retries). Replace it in tests with a fake that records the waits asked
 * of it and advances its own clock, so that no test has to sleep.
 *
 * <p>Implementations must be thread-safe.
 */
public interface TimeSource {

    /**
     * Reads the monotonic clock.
     *
     * @return the current time in nanoseconds, comparable only with other readings of the same source
     */
    long nanoTime();

    /**
     * Blocks the calling thread for the given time.
     *
     * @param nanos how long to wait, positive
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    void sleep(long nanos) throws InterruptedException;

    /**
     * Runs a task once the given time has passed, without blocking the caller.
     *
     * @param task the task to run
     * @param delayNanos how long to wait first, zero or more
     */
    void schedule(Runnable task, long delayNanos);

    /**
     * Binds a task to what the calling thread carries (a trace, the logging MDC, a security context), so that the
     * task runs with it wherever and whenever it runs: an asynchronous operation binds its retries once, on its
     * caller's thread, before its first attempt. The default binds nothing.
     *
     * @param task the task to bind
     * @return a task that runs {@code task} with the caller's context; {@code task} itself by default
     */
    default Runnable capture(Runnable task) {
        return task;
    }

    /**
     * The system's time: {@link System#nanoTime()}, {@link Thread#sleep}, and the common pool's delayed executor
     * for scheduled tasks. Creates no thread of its own.
     *
     * @return the shared system time source
     */
    static TimeSource system() {
        return SystemTime.INSTANCE;
    }
}

enum SystemTime implements TimeSource {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void sleep(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting before a retry");
            }
        }
    }

    @Override
    public void schedule(Runnable task, long delayNanos) {
        CompletableFuture.delayedExecutor(delayNanos, TimeUnit.NANOSECONDS).execute(task);
    }
}
