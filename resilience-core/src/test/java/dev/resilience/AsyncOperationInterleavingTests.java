package dev.resilience;

import static org.jetbrains.lincheck.datastructures.ManagedStrategyGuaranteeKt.forClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Lincheck races a caller's cancellation of an asynchronous operation's future against its attempts' completions and
 * its scheduled retry, under every interleaving it explores: the operation ends once, as its future says.
 */
// How it works, as in BreakerInterleavingTests: each scenario class is built afresh for every run, its constructor
// calls Guard.callAsync (so the first attempt is in flight), and each @Operation is one thread's single action: the
// dependency completing an attempt's stage, the caller cancelling the future, the scheduler running the retry. The
// model checker drives the threads through INTERLEAVINGS interleavings, then a stress run races them on real threads.
// Lincheck checks the operations' results against some sequential order of the same actions (linearizability), then
// calls the @Validate method, which lets the operation finish (it runs a retry still due and completes an attempt
// still in flight) and checks what the guard's listener and breaker recorded against how the future completed.
// Completing a stage returns nothing: the guard hears of it only when its callback runs, which may be later, on the
// thread that registers the callback, so that a completion's return says nothing of what the guard saw first.
// The retry's scheduler and the listener are lock-free, so that obstruction freedom can be checked.
class AsyncOperationInterleavingTests {

    /** Interleavings explored per scenario; {@code -Dasync.interleavings=20000} explores deeper. */
    private static final int INTERLEAVINGS = Integer.getInteger("async.interleavings", 300);
    /** Runs of the stress test per scenario, on real threads; {@code -Dasync.stress-runs} sets it. */
    private static final int STRESS_RUNS = Integer.getInteger("async.stress-runs", 2_000);

    private static final IOException FAILURE = new IOException("503");
    private static final BreakerConfig NEVER_OPENS = BreakerConfig.builder().windowSize(10).minimumCalls(10)
            .failureRateThreshold(100).build();
    private static final RetryPolicy THREE_ATTEMPTS = RetryPolicy.builder().maxAttempts(3).idempotent(true)
            .delay(Duration.ofMillis(100)).build();
    private static final RetryPolicy ONE_ATTEMPT = RetryPolicy.builder().maxAttempts(1).build();

    /** As BreakerInterleavingTests does: one action per thread, the JDK's concurrent collections atomic. */
    private static void check(Class<?> scenario, int threads) {
        new ModelCheckingOptions().iterations(1).invocationsPerIteration(INTERLEAVINGS)
                .threads(threads).actorsPerThread(1).actorsBefore(0).actorsAfter(0).minimizeFailedScenario(false)
                .checkObstructionFreedom(true)
                .addGuarantee(forClasses(ConcurrentHashMap.class.getName(), CopyOnWriteArrayList.class.getName(),
                        LongAdder.class.getName(), Duration.class.getName()).allMethods().treatAsAtomic())
                .check(scenario);
        new StressOptions().iterations(1).invocationsPerIteration(STRESS_RUNS)
                .threads(threads).actorsPerThread(1).actorsBefore(0).actorsAfter(0).minimizeFailedScenario(false)
                .check(scenario);
    }

    @Test
    void aCancelRacingTheSuccessReturnsFalseOnceTheSuccessIsBeingRecorded() {
        check(CancelRacesSuccess.class, 3);
    }

    @Test
    void aCancelRacingAFailureAndItsRetryStartsNoOtherAttemptAndDropsTheLateOutcome() {
        check(CancelRacesRetry.class, 4);
    }

    @Test
    void aCancelRacingTheScheduledRetryStartsNoOtherAttempt() {
        check(CancelRacesScheduledRetry.class, 3);
    }

    @Test
    void aCancelRacingTheLastFailureAndAnotherCancelEndsTheOperationOnceAsItsFutureSays() {
        check(CancelRacesLastFailure.class, 3);
    }

    /**
     * The first attempt succeeds while two callers cancel the future. Its stage is a plain future, which a cancel
     * completes. Whichever comes first decides: a success is the operation's, and both cancels return false; a
     * cancel that comes first makes both return true, and the success is dropped.
     */
    public static final class CancelRacesSuccess {

        private final Run run = new Run(THREE_ATTEMPTS, false);

        @Operation(runOnce = true)
        public void succeed() {
            run.attempt(1).complete("ok");
        }

        @Operation(runOnce = true)
        public boolean cancel() {
            return run.cancel();
        }

        @Operation(runOnce = true)
        public boolean cancelAgain() {
            return run.cancel();
        }

        @Validate
        public void endedOnceAsItsFutureSays() {
            run.finishAndCheck();
        }
    }

    /**
     * The first attempt fails (a retry is scheduled), the scheduler runs the retry, the second attempt succeeds,
     * and the caller cancels, all at once. The stages are calls that go on when cancelled: a cancel reaches them,
     * and their later outcome must be dropped.
     */
    public static final class CancelRacesRetry {

        private final Run run = new Run(THREE_ATTEMPTS, true);

        @Operation(runOnce = true)
        public void failFirst() {
            run.attempt(1).completeExceptionally(FAILURE);
        }

        @Operation(runOnce = true)
        public boolean runRetry() {
            return run.scheduler.runDue();
        }

        @Operation(runOnce = true)
        public void succeedSecond() {
            Attempt second = run.attempt(2);
            if (second != null) {
                second.complete("ok");
            }
        }

        @Operation(runOnce = true)
        public boolean cancel() {
            return run.cancel();
        }

        @Validate
        public void endedOnceAsItsFutureSays() {
            run.finishAndCheck();
        }
    }

    /**
     * The first attempt has failed and its retry is due: the scheduler runs it, the second attempt succeeds, and the
     * caller cancels, all at once. The stages go on when cancelled.
     */
    public static final class CancelRacesScheduledRetry {

        private final Run run = new Run(THREE_ATTEMPTS, true);

        public CancelRacesScheduledRetry() {
            run.attempt(1).completeExceptionally(FAILURE);
        }

        @Operation(runOnce = true)
        public boolean runRetry() {
            return run.scheduler.runDue();
        }

        @Operation(runOnce = true)
        public void succeedSecond() {
            Attempt second = run.attempt(2);
            if (second != null) {
                second.complete("ok");
            }
        }

        @Operation(runOnce = true)
        public boolean cancel() {
            return run.cancel();
        }

        @Validate
        public void endedOnceAsItsFutureSays() {
            run.finishAndCheck();
        }
    }

    /**
     * The only attempt fails while two callers cancel. A cancel that comes while the guard decides over the failure
     * still wins: the guard decides whether a failure ends the operation only after the breaker has counted it (the
     * breaker may open on it), so that failure stays counted, and the operation is cancelled, as its future says.
     */
    public static final class CancelRacesLastFailure {

        private final Run run = new Run(ONE_ATTEMPT, true);

        @Operation(runOnce = true)
        public void fail() {
            run.attempt(1).completeExceptionally(FAILURE);
        }

        @Operation(runOnce = true)
        public boolean cancel() {
            return run.cancel();
        }

        @Operation(runOnce = true)
        public boolean cancelAgain() {
            return run.cancel();
        }

        @Validate
        public void endedOnceAsItsFutureSays() {
            run.finishAndCheck();
        }
    }

    /** One operation of a guard with a breaker and a retry policy, its first attempt in flight. */
    private static final class Run {

        final Scheduler scheduler = new Scheduler();
        final CircuitBreaker breaker = CircuitBreaker.of("prices", NEVER_OPENS, scheduler);
        final Heard heard = new Heard();
        final AtomicReferenceArray<Attempt> attempts = new AtomicReferenceArray<>(8);
        final AtomicInteger started = new AtomicInteger();
        final AtomicBoolean cancelled = new AtomicBoolean();
        final boolean goOnWhenCancelled;
        final CompletableFuture<String> result;

        Run(RetryPolicy retry, boolean goOnWhenCancelled) {
            this.goOnWhenCancelled = goOnWhenCancelled;
            Guard guard = Guard.builder("PriceClient.price").breaker(breaker).listener(heard).timeSource(scheduler)
                    .random(() -> 0.0).retry(retry).build();
            result = guard.callAsync(this::start);
        }

        private CompletionStage<String> start() {
            int number = started.incrementAndGet();
            Attempt attempt = new Attempt(goOnWhenCancelled);
            attempts.set(number, attempt);
            return attempt;
        }

        Attempt attempt(int number) {
            return attempts.get(number);
        }

        boolean cancel() {
            boolean done = result.cancel(true);
            if (done) {
                cancelled.set(true);
            }
            return done;
        }

        /**
         * Lets the operation finish as the dependency and the scheduler would: a retry still due runs, an attempt
         * still in flight succeeds. Then checks that it ended once, as its future says, with every attempt it
         * started recorded once, by the listener and by the breaker alike.
         */
        void finishAndCheck() {
            for (int step = 0; step < 8; step++) {
                if (!scheduler.runDue() && !attempt(started.get()).complete("ok")) {
                    break;
                }
            }
            assertEquals(0, scheduler.overlaps.get(), "a retry was scheduled while another was due");
            assertTrue(result.isDone(), () -> "the future never completed: " + heard);
            assertEquals(1, heard.operations.get(), () -> "operation outcomes recorded: " + heard);
            Outcome outcome = heard.operation.get();
            int attempts = started.get();
            assertEquals(attempts, heard.operationAttempts.get(), () -> "attempts the operation counted: " + heard);
            assertEquals(0, heard.repeated.get(), () -> "an attempt recorded twice: " + heard);
            int succeeded = 0;
            int failed = 0;
            for (int number = 1; number <= attempts; number++) {
                Outcome ended = heard.attempts.get(number);
                int n = number;
                assertNotNull(ended, () -> "attempt " + n + " started and was never recorded: " + heard);
                succeeded += ended == Outcome.SUCCESS ? 1 : 0;
                failed += ended == Outcome.FAILURE ? 1 : 0;
                if (ended == Outcome.CANCELLED) {
                    assertTrue(attempt(number).interruptRequested.get(),
                            () -> "attempt " + n + " recorded cancelled without cancel(true) reaching it: " + heard);
                }
            }
            assertNull(heard.attempts.get(attempts + 1), () -> "an attempt recorded that never started: " + heard);
            BreakerSnapshot snapshot = breaker.snapshot();
            assertEquals(failed, snapshot.failedCalls(), () -> "failures the breaker counted: " + snapshot + heard);
            assertEquals(failed + succeeded, snapshot.bufferedCalls(),
                    () -> "calls the breaker counted (a cancelled one counts as neither): " + snapshot + heard);
            switch (outcome) {
                case SUCCESS -> {
                    assertFalse(cancelled.get(), "cancel() said true for an operation that succeeded");
                    assertEquals("ok", result.getNow(null), "what the caller got from a success");
                    assertEquals(Outcome.SUCCESS, heard.attempts.get(attempts), "the last attempt of a success");
                }
                case CANCELLED -> {
                    assertTrue(result.isCancelled(), "the future of a cancelled operation");
                    assertTrue(cancelled.get(), "cancelled, though no cancel() said true");
                    assertEquals(0, succeeded, () -> "a cancelled operation with a successful attempt: " + heard);
                }
                case FAILURE -> {
                    assertFalse(cancelled.get(), "cancel() said true for an operation that failed");
                    assertSame(FAILURE, result.handle((value, thrown) -> thrown).join(), "what the caller got");
                    assertEquals(Outcome.FAILURE, heard.attempts.get(attempts), "the last attempt of a failure");
                }
                default -> throw new AssertionError("an operation ended " + outcome + ": " + heard);
            }
        }
    }

    /**
     * An attempt's stage. A call that goes on when cancelled records the cancel and stays in flight, so that its
     * outcome comes late; any other is cancelled as a plain future is.
     */
    private static final class Attempt extends CompletableFuture<String> {

        final AtomicBoolean interruptRequested = new AtomicBoolean();
        private final boolean goesOn;

        Attempt(boolean goesOn) {
            this.goesOn = goesOn;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (mayInterruptIfRunning) {
                interruptRequested.set(true);
            }
            return !goesOn && super.cancel(mayInterruptIfRunning);
        }
    }

    /** A clock that stands still and a scheduler whose one due retry runs when told. Lock-free. */
    private static final class Scheduler implements TimeSource {

        final AtomicReference<Runnable> due = new AtomicReference<>();
        final AtomicInteger overlaps = new AtomicInteger();

        @Override
        public long nanoTime() {
            return 7_000_000_000L;
        }

        @Override
        public void sleep(long nanos) {
            throw new UnsupportedOperationException("an asynchronous operation never sleeps");
        }

        @Override
        public void schedule(Runnable task, long delayNanos) {
            if (!due.compareAndSet(null, task)) {
                overlaps.incrementAndGet();
            }
        }

        boolean runDue() {
            Runnable task = due.getAndSet(null);
            if (task == null) {
                return false;
            }
            task.run();
            return true;
        }
    }

    /** What the guard's listener heard: each attempt's outcome by number, and the operations'. Lock-free. */
    private static final class Heard implements GuardListener {

        final AtomicReferenceArray<Outcome> attempts = new AtomicReferenceArray<>(8);
        final AtomicInteger repeated = new AtomicInteger();
        final AtomicReference<Outcome> operation = new AtomicReference<>();
        final AtomicInteger operationAttempts = new AtomicInteger();
        final AtomicInteger operations = new AtomicInteger();

        @Override
        public void onAttempt(int attempt, Outcome outcome, long nanos, Throwable failure) {
            if (!attempts.compareAndSet(attempt, null, outcome)) {
                repeated.incrementAndGet();
            }
        }

        @Override
        public void onOperation(Outcome outcome, int attempts, boolean retried, long nanos, Throwable failure) {
            if (operations.getAndIncrement() == 0) {
                operationAttempts.set(attempts);
                operation.set(outcome);
            }
        }

        @Override
        public String toString() {
            return " attempts " + attempts + ", operation " + operation + " after " + operationAttempts
                    + " (" + operations + " recorded)";
        }
    }
}
