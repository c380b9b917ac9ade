package dev.resilience.spring.boot.task;

import dev.resilience.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.task.SimpleAsyncTaskSchedulerBuilder;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.util.function.SingletonSupplier;

/**
 * The starter's {@link TimeSource}: the system's monotonic clock and blocking sleep, and asynchronous retries run on
 * the application's task execution with their caller's context.
 *
 * <ul>
 * <li>{@link #capture} binds a task to what its caller's thread carries: every thread-local that Micrometer's
 * context-propagation knows (the current observation, Spring Security's context, whatever a library registers),
 * when {@code io.micrometer:context-propagation} is on the classpath, and the logging MDC when SLF4J is. An
 * asynchronous operation captures once, on its caller's thread, and every retry runs inside that capture.</li>
 * <li>{@link #schedule} waits on the application's {@link TaskScheduler} when it has one, else on a scheduler built
 * with Spring Boot's {@link SimpleAsyncTaskSchedulerBuilder} (one timer thread, named {@code resilience-retry-}),
 * and then hands the task to the application's task executor (Spring Boot's {@code applicationTaskExecutor}: a
 * bounded pool, or virtual threads when {@code spring.threads.virtual.enabled} is true, its {@code TaskDecorator}
 * applied); without one, to the common {@link ForkJoinPool}. No thread is ever created for one retry. When the
 * executor refuses a due task, it runs on the timer thread rather than never: the caller's future always
 * completes.</li>
 * </ul>
 *
 * <p>Both the scheduler and the executor are looked up on the first {@link #schedule}, not at startup. Closing the
 * time source stops the scheduler it built, if it built one. Thread-safe.
 */
public final class ApplicationTimeSource implements TimeSource, AutoCloseable {

    /** The prefix of the timer thread of the scheduler that the time source builds. */
    public static final String THREAD_NAME_PREFIX = "resilience-retry-";

    private final Supplier<? extends @Nullable TaskScheduler> applicationScheduler;
    private final Supplier<SimpleAsyncTaskSchedulerBuilder> builder;
    private final SingletonSupplier<Executor> executor;
    private final SingletonSupplier<TaskScheduler> scheduler;
    private final UnaryOperator<Runnable> capture;
    private volatile @Nullable SimpleAsyncTaskScheduler built;

    /**
     * Creates the time source; it looks nothing up before its first {@link #schedule}.
     *
     * @param scheduler supplies the application's task scheduler, or {@code null} when it has none (the time source
     *     then builds its own)
     * @param builder supplies the builder of that scheduler of its own (Spring Boot's, with the application's
     *     virtual-thread and decorator settings)
     * @param executor supplies where a due task runs, or {@code null} for the common {@link ForkJoinPool}
     */
    public ApplicationTimeSource(Supplier<? extends @Nullable TaskScheduler> scheduler,
            Supplier<SimpleAsyncTaskSchedulerBuilder> builder, Supplier<? extends @Nullable Executor> executor) {
        this.applicationScheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.builder = Objects.requireNonNull(builder, "builder");
        Objects.requireNonNull(executor, "executor");
        this.executor = SingletonSupplier.of(() -> {
            Executor found = executor.get();
            return found != null ? found : ForkJoinPool.commonPool();
        });
        this.scheduler = SingletonSupplier.of(this::resolveScheduler);
        this.capture = ContextCapture.available(getClass().getClassLoader());
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void sleep(long nanos) throws InterruptedException {
        TimeSource.system().sleep(nanos);
    }

    /**
     * Runs the task on the application's task executor once the delay has passed.
     *
     * @throws RejectedExecutionException when the scheduler refuses the task (it is shutting down, for example),
     *     naming the scheduler and the delay; the asynchronous operation then ends with it
     */
    @Override
    public void schedule(Runnable task, long delayNanos) {
        TaskScheduler timer = scheduler.obtain();
        Instant due = timer.getClock().instant().plusNanos(Math.max(0, delayNanos));
        try {
            timer.schedule(() -> handOff(task), due);
        } catch (RejectedExecutionException rejected) {
            RejectedExecutionException refusal = new RejectedExecutionException("A retry due in "
                    + Duration.ofNanos(delayNanos) + " could not be scheduled: the task scheduler " + timer
                    + " refused it (" + rejected.getMessage() + "). Retries need a running TaskScheduler;"
                    + " is the application shutting down?", rejected);
            throw refusal;
        }
    }

    /**
     * Binds the task to the calling thread's context: the thread-locals known to Micrometer's context-propagation
     * and the logging MDC, set around the task wherever it runs and restored afterwards.
     */
    @Override
    public Runnable capture(Runnable task) {
        return capture.apply(task);
    }

    /** Stops the scheduler that this time source built, if it built one; the application's own is left alone. */
    @Override
    public void close() {
        SimpleAsyncTaskScheduler own = built;
        if (own != null) {
            own.close();
        }
    }

    private void handOff(Runnable task) {
        try {
            executor.obtain().execute(task);
        } catch (RejectedExecutionException refused) {
            task.run(); // on the timer thread, rather than never: the caller's future must complete
        }
    }

    private TaskScheduler resolveScheduler() {
        TaskScheduler application = applicationScheduler.get();
        if (application != null) {
            return application;
        }
        SimpleAsyncTaskScheduler own = builder.get().threadNamePrefix(THREAD_NAME_PREFIX).build();
        own.setTargetTaskExecutor(Runnable::run); // the timer thread only hands each task to the executor
        built = own;
        return own;
    }

    @Override
    public String toString() {
        return "ApplicationTimeSource";
    }
}
