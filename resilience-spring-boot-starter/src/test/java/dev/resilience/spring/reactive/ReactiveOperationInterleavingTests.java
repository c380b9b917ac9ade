package dev.resilience.spring.reactive;

import static org.jetbrains.lincheck.datastructures.ManagedStrategyGuaranteeKt.forClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilience.BreakerConfig;
import dev.resilience.BreakerSnapshot;
import dev.resilience.CircuitBreaker;
import dev.resilience.Guard;
import dev.resilience.GuardListener;
import dev.resilience.Outcome;
import dev.resilience.RetryPolicy;
import dev.resilience.TimeSource;
import java.io.IOException;
import java.time.Duration;
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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * Lincheck races a subscriber's cancellation of a guarded {@code Mono} against its attempts' signals and its
 * scheduled retry, under every interleaving it explores: each subscription is one operation that ends once, its
 * subscriber gets at most the one end the guard recorded, and a cancelled one starts no other attempt and drops the
 * late signals of the one it cancelled.
 */
// How it works, as in the core's AsyncOperationInterleavingTests: each scenario class is built afresh for every run;
// its constructor subscribes to a guarded Mono (so the first attempt, a subscription to the method's publisher, is in
// flight), and each @Operation is one thread's single action: the method's publisher signalling an attempt's end, the
// subscriber cancelling, the scheduler running the retry. The model checker drives the threads through INTERLEAVINGS
// interleavings, then a stress run races them on real threads; each attempt is signalled by one thread only, as
// Reactive Streams requires. The operations return nothing, since a cancelled subscriber may or may not still get a
// signal already on its way (Reactive Streams allows either); the @Validate method lets the operation finish (a retry
// still due runs, an attempt still in flight succeeds) and checks what the guard's listener and breaker recorded
// against what the subscriber got.
@Tag("interleavings") // runs in a JVM of its own, with the other Lincheck tests: see the pom
class ReactiveOperationInterleavingTests {

    /** Interleavings explored per scenario; {@code -Dreactive.interleavings=20000} explores deeper. */
    private static final int INTERLEAVINGS = Integer.getInteger("reactive.interleavings", 300);
    /** Runs of the stress test per scenario, on real threads; {@code -Dreactive.stress-runs} sets it. */
    private static final int STRESS_RUNS = Integer.getInteger("reactive.stress-runs", 1_000);

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
    void aCancelRacingTheAttemptsValueEndsTheOperationOnce() {
        check(CancelRacesValue.class, 3);
    }

    @Test
    void aCancelRacingAFailureAndItsRetryStartsNoOtherAttemptAndDropsTheLateSignal() {
        check(CancelRacesRetry.class, 4);
    }

    @Test
    void aCancelRacingTheScheduledRetryStartsNoOtherAttempt() {
        check(CancelRacesScheduledRetry.class, 3);
    }

    @Test
    void aCancelRacingTheLastFailureEndsTheOperationOnce() {
        check(CancelRacesLastFailure.class, 3);
    }

    /** The first attempt emits its value while the subscriber cancels, twice. */
    public static final class CancelRacesValue {

        private final Run run = new Run(THREE_ATTEMPTS);

        @Operation(runOnce = true)
        public void succeed() {
            run.call(1).succeed();
        }

        @Operation(runOnce = true)
        public void cancel() {
            run.subscriber.cancel();
        }

        @Operation(runOnce = true)
        public void cancelAgain() {
            run.subscriber.cancel();
        }

        @Validate
        public void endedOnceAsTheSubscriberSaw() {
            run.finishAndCheck();
        }
    }

    /** The first attempt fails, the scheduler runs the retry, the second attempt succeeds, the subscriber cancels. */
    public static final class CancelRacesRetry {

        private final Run run = new Run(THREE_ATTEMPTS);

        @Operation(runOnce = true)
        public void failFirst() {
            run.call(1).fail();
        }

        @Operation(runOnce = true)
        public void runRetry() {
            run.scheduler.runDue();
        }

        @Operation(runOnce = true)
        public void succeedSecond() {
            Call second = run.call(2);
            if (second != null) {
                second.succeed();
            }
        }

        @Operation(runOnce = true)
        public void cancel() {
            run.subscriber.cancel();
        }

        @Validate
        public void endedOnceAsTheSubscriberSaw() {
            run.finishAndCheck();
        }
    }

    /** The first attempt has failed and its retry is due: the scheduler runs it while the subscriber cancels. */
    public static final class CancelRacesScheduledRetry {

        private final Run run = new Run(THREE_ATTEMPTS);

        public CancelRacesScheduledRetry() {
            run.call(1).fail();
        }

        @Operation(runOnce = true)
        public void runRetry() {
            run.scheduler.runDue();
        }

        @Operation(runOnce = true)
        public void succeedSecond() {
            Call second = run.call(2);
            if (second != null) {
                second.succeed();
            }
        }

        @Operation(runOnce = true)
        public void cancel() {
            run.subscriber.cancel();
        }

        @Validate
        public void endedOnceAsTheSubscriberSaw() {
            run.finishAndCheck();
        }
    }

    /** The only attempt fails while the subscriber cancels, twice. */
    public static final class CancelRacesLastFailure {

        private final Run run = new Run(ONE_ATTEMPT);

        @Operation(runOnce = true)
        public void fail() {
            run.call(1).fail();
        }

        @Operation(runOnce = true)
        public void cancel() {
            run.subscriber.cancel();
        }

        @Operation(runOnce = true)
        public void cancelAgain() {
            run.subscriber.cancel();
        }

        @Validate
        public void endedOnceAsTheSubscriberSaw() {
            run.finishAndCheck();
        }
    }

    /** One subscription to a guarded Mono of a guard with a breaker and a retry policy, its first attempt in flight. */
    private static final class Run {

        final Scheduler scheduler = new Scheduler();
        final CircuitBreaker breaker = CircuitBreaker.of("shipping", NEVER_OPENS, scheduler);
        final Heard heard = new Heard();
        final Dependency dependency = new Dependency();
        final Caller subscriber = new Caller();

        @SuppressWarnings("unchecked")
        Run(RetryPolicy retry) {
            Guard guard = Guard.builder("ShippingClient.track").breaker(breaker).listener(heard)
                    .timeSource(scheduler).random(() -> 0.0).retry(retry).build();
            Mono<String> guarded = (Mono<String>) ReactiveCalls.mono().call(guard, dependency, null, null, null);
            guarded.subscribe(subscriber);
        }

        Call call(int number) {
            return dependency.calls.get(number);
        }

        /**
         * Lets the operation finish as the method's publisher and the scheduler would: a retry still due runs, an
         * attempt still in flight succeeds. Then checks that it ended once, with every attempt it started recorded
         * once, by the listener and the breaker alike, and that the subscriber got at most that end.
         */
        void finishAndCheck() {
            for (int step = 0; step < 8; step++) {
                Call last = call(dependency.subscribed.get());
                if (!scheduler.runDue() && !(last != null && last.succeed())) {
                    break;
                }
            }
            assertEquals(0, scheduler.overlaps.get(), "a retry was scheduled while another was due");
            assertEquals(1, heard.operations.get(), () -> "operation outcomes recorded: " + heard);
            Outcome outcome = heard.operation.get();
            int attempts = heard.operationAttempts.get();
            assertEquals(0, heard.repeated.get(), () -> "an attempt recorded twice: " + heard);
            assertNull(heard.attempts.get(attempts + 1), () -> "an attempt recorded after the operation: " + heard);
            int subscribed = dependency.subscribed.get();
            int succeeded = 0;
            int failed = 0;
            for (int number = 1; number <= attempts; number++) {
                Outcome ended = heard.attempts.get(number);
                int n = number;
                assertNotNull(ended, () -> "attempt " + n + " was never recorded: " + heard);
                succeeded += ended == Outcome.SUCCESS ? 1 : 0;
                failed += ended == Outcome.FAILURE ? 1 : 0;
                if (ended == Outcome.CANCELLED && number <= subscribed) {
                    assertTrue(call(number).cancelled.get(),
                            () -> "attempt " + n + " recorded cancelled, its subscription never cancelled: " + heard);
                }
            }
            boolean cancelledAsItStarted = subscribed == attempts - 1
                    && heard.attempts.get(attempts) == Outcome.CANCELLED; // its permit given back, never subscribed
            assertTrue(subscribed == attempts || cancelledAsItStarted,
                    () -> subscribed + " subscriptions to the method's publisher for the attempts recorded: " + heard);
            BreakerSnapshot snapshot = breaker.snapshot();
            assertEquals(failed, snapshot.failedCalls(), () -> "failures the breaker counted: " + snapshot + heard);
            assertEquals(failed + succeeded, snapshot.bufferedCalls(),
                    () -> "calls the breaker counted (a cancelled one counts as neither): " + snapshot + heard);
            Caller got = subscriber;
            assertTrue(got.values.get() + got.errors.get() + got.completions.get() <= 2
                    && got.errors.get() + got.completions.get() <= 1
                    && got.values.get() <= got.completions.get(), () -> "the subscriber got " + got);
            boolean nothing = got.values.get() + got.errors.get() + got.completions.get() == 0;
            switch (outcome) {
                case SUCCESS -> {
                    assertEquals(Outcome.SUCCESS, heard.attempts.get(attempts), "the last attempt of a success");
                    assertTrue(got.values.get() == 1 && got.completions.get() == 1 || got.cancelled.get() && nothing,
                            () -> "a success, and the subscriber got " + got);
                }
                case FAILURE -> {
                    assertEquals(Outcome.FAILURE, heard.attempts.get(attempts), "the last attempt of a failure");
                    assertTrue(got.errors.get() == 1 || got.cancelled.get() && nothing,
                            () -> "a failure, and the subscriber got " + got);
                    if (got.errors.get() == 1) {
                        assertSame(FAILURE, got.error.get(), "what the subscriber got");
                    }
                }
                case CANCELLED -> {
                    assertTrue(got.cancelled.get(), "cancelled, though the subscriber never cancelled");
                    assertTrue(nothing, () -> "a cancelled operation, and the subscriber got " + got);
                    assertEquals(0, succeeded, () -> "a cancelled operation with a successful attempt: " + heard);
                }
                default -> throw new AssertionError("an operation ended " + outcome + ": " + heard);
            }
        }
    }

    /** The method's publisher: each subscription is one call, which the scenario ends. */
    private static final class Dependency implements Publisher<String> {

        final AtomicReferenceArray<Call> calls = new AtomicReferenceArray<>(8);
        final AtomicInteger subscribed = new AtomicInteger();

        @Override
        public void subscribe(Subscriber<? super String> subscriber) {
            Call call = new Call(subscriber);
            calls.set(subscribed.incrementAndGet(), call);
            subscriber.onSubscribe(call);
        }
    }

    /**
     * One call to the dependency. Cancelling it records the cancel and the call goes on, so that its end may come
     * late; it ends once, by a value or an error.
     */
    private static final class Call implements Subscription {

        final AtomicBoolean cancelled = new AtomicBoolean();
        private final AtomicBoolean ended = new AtomicBoolean();
        private final Subscriber<? super String> subscriber;

        Call(Subscriber<? super String> subscriber) {
            this.subscriber = subscriber;
        }

        /** @return whether this ended the call */
        boolean succeed() {
            if (!ended.compareAndSet(false, true)) {
                return false;
            }
            subscriber.onNext("ok");
            subscriber.onComplete();
            return true;
        }

        void fail() {
            if (ended.compareAndSet(false, true)) {
                subscriber.onError(FAILURE);
            }
        }

        @Override
        public void request(long n) {
        }

        @Override
        public void cancel() {
            cancelled.set(true);
        }
    }

    /** The guarded Mono's subscriber: requests its value at once and counts what it gets. */
    private static final class Caller implements CoreSubscriber<String> {

        final AtomicInteger values = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();
        final AtomicInteger completions = new AtomicInteger();
        final AtomicReference<Throwable> error = new AtomicReference<>();
        final AtomicBoolean cancelled = new AtomicBoolean();
        private final AtomicReference<Subscription> subscription = new AtomicReference<>();

        @Override
        public void onSubscribe(Subscription operation) {
            subscription.set(operation);
            operation.request(Long.MAX_VALUE);
        }

        void cancel() {
            cancelled.set(true);
            subscription.get().cancel();
        }

        @Override
        public void onNext(String value) {
            values.incrementAndGet();
        }

        @Override
        public void onError(Throwable failure) {
            error.set(failure);
            errors.incrementAndGet();
        }

        @Override
        public void onComplete() {
            completions.incrementAndGet();
        }

        @Override
        public String toString() {
            return values + " value(s), " + errors + " error(s), " + completions + " completion(s)"
                    + (cancelled.get() ? ", having cancelled" : "");
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
            throw new UnsupportedOperationException("a reactive operation never sleeps");
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
