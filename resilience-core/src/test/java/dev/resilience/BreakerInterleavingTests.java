package dev.resilience;

import static dev.resilience.BreakerState.CLOSED;
import static dev.resilience.BreakerState.HALF_OPEN;
import static dev.resilience.BreakerState.OPEN;
import static org.jetbrains.lincheck.datastructures.ManagedStrategyGuaranteeKt.forClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/** Lincheck races a few calls on one breaker under every interleaving it explores: none breaks the state machine. */
// How it works. Each scenario below is a class that Lincheck builds afresh for every run: its constructor sets a
// breaker on fake time up to the moment of the race, each @Operation is one thread's call, and Lincheck runs one
// operation per thread. The model checker drives the threads through INTERLEAVINGS different interleavings, then a
// stress run races them on real threads. After each run Lincheck checks that the operations' results are those of
// some sequential order of the same calls (linearizability against the breaker itself), and calls the @Validate
// method, which checks the forbidden outcomes; either failing fails the test with the interleaving that led there.
// The scenario classes are public, with public constructors, because Lincheck builds them reflectively.
// The checks are JUnit's static assertions, not AssertJ's: Lincheck 3.7 calls equals() on the receiver of each
// method call it traces, and an AssertJ assert object throws there. Messages are lazy, so passing runs build none.
class BreakerInterleavingTests {

    /**
     * Interleavings the model checker explores per scenario: enough for these three-call races, few enough to keep
     * the build quick; {@code -Dbreaker.interleavings=20000} explores deeper.
     */
    private static final int INTERLEAVINGS = Integer.getInteger("breaker.interleavings", 300);
    /** Runs of the stress test per scenario, on real threads; {@code -Dbreaker.stress-runs} sets it. */
    private static final int STRESS_RUNS = Integer.getInteger("breaker.stress-runs", 2_000);

    private static final Duration OPEN_DURATION = Duration.ofSeconds(10);
    private static final IOException FAILURE = new IOException("dependency down");

    /** A breaker that opens when its window of {@code window} calls all failed; configs are built once, immutable. */
    private static BreakerConfig config(int window, int probes) {
        return BreakerConfig.builder().windowSize(window).minimumCalls(window).failureRateThreshold(100)
                .openDuration(OPEN_DURATION).halfOpenProbes(probes).build();
    }

    private static final BreakerConfig ONE_CALL_ONE_PROBE = config(1, 1);
    private static final BreakerConfig ONE_CALL_TWO_PROBES = config(1, 2);
    private static final BreakerConfig THREE_CALLS = config(3, 1);

    /**
     * Model-checks the scenario with one operation per thread, then stress-tests it. The JDK's concurrent collections
     * count as atomic steps: their insides would only multiply the interleavings without touching the breaker's
     * logic. Obstruction freedom is checked too, as the breaker claims to be lock-free. A failure reports the
     * scenario as run, not a smaller one, since the checks expect every operation of the scenario to have run.
     */
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
    void halfOpenAdmitsAtMostItsProbesAmongRacingAcquirers() {
        check(HalfOpenRace.class, 3);
    }

    @Test
    void aStalePermitFromBeforeAForcedOpenAndCloseIsNotCountedInTheNewWindow() {
        check(StaleAcrossForcedRoundTrip.class, 3);
    }

    @Test
    void aStalePermitFromClosedDoesNotCountAsAHalfOpenProbe() {
        check(StaleInHalfOpen.class, 3);
    }

    @Test
    void closedToOpenUnderRacingFailuresRecordsExactlyOneTransition() {
        check(RacingFailures.class, 3);
    }

    @Test
    void openToHalfOpenReadRaceYieldsOneHalfOpenRoundHeardInOrder() {
        check(ReadRace.class, 3);
    }

    /** Three callers race for two probe slots of an open breaker whose open duration has passed, unnoticed yet. */
    public static final class HalfOpenRace {

        private final FakeTime time = new FakeTime();
        private final CircuitBreaker breaker = CircuitBreaker.of("probes", ONE_CALL_TWO_PROBES, time);
        private final Heard heard = Heard.on(breaker);
        private final AtomicInteger admitted = new AtomicInteger();
        private final long round;

        public HalfOpenRace() {
            failOnce(breaker);
            round = breaker.current().epoch() + 1;
            time.advance(OPEN_DURATION);
        }

        @Operation
        public long acquirePermit() {
            long permit = breaker.acquirePermit();
            if (permit == round) {
                admitted.incrementAndGet();
            }
            return permit;
        }

        @Validate
        public void admittedAtMostItsProbes() {
            int probes = breaker.config().halfOpenProbes();
            assertTrue(admitted.get() <= probes, () -> "probes admitted by one round: " + admitted + " > " + probes);
            assertEquals(probes, admitted.get(), "probes admitted while slots were left");
            assertEquals(HALF_OPEN, breaker.state(), "state while the probes are out");
            heard.assertPath(OPEN, HALF_OPEN);
            heard.assertInOrder(breaker);
        }
    }

    /** Two permits of the first closed state report while an operator opens and closes the breaker by hand. */
    public static final class StaleAcrossForcedRoundTrip {

        private final CircuitBreaker breaker = CircuitBreaker.of("stale-closed", ONE_CALL_ONE_PROBE, new FakeTime());
        private final Heard heard = Heard.on(breaker);
        private final long failing = breaker.acquirePermit();
        private final long succeeding = breaker.acquirePermit();

        @Operation(runOnce = true)
        public void forceOpenThenClose() {
            breaker.forceOpen();
            breaker.close();
        }

        @Operation(runOnce = true)
        public void staleFailure() {
            breaker.onFailure(failing, 0, FAILURE);
        }

        @Operation(runOnce = true)
        public void staleSuccess() {
            breaker.onSuccess(succeeding, 0);
        }

        @Validate
        public void newWindowHoldsNeither() {
            BreakerSnapshot snapshot = breaker.snapshot();
            assertEquals(CLOSED, snapshot.state(), "state after close()");
            assertEquals(0, snapshot.bufferedCalls(), () -> "calls in the window close() started: " + snapshot);
            assertEquals(0, snapshot.failedCalls(), () -> "failures in the window close() started: " + snapshot);
            heard.assertInOrder(breaker);
        }
    }

    /**
     * Two permits of the closed state report while the breaker, opened since by another call and past its open
     * duration, goes half-open and its one probe fails: a stale success counted as the probe would close it.
     */
    public static final class StaleInHalfOpen {

        private final FakeTime time = new FakeTime();
        private final CircuitBreaker breaker = CircuitBreaker.of("stale-probe", ONE_CALL_ONE_PROBE, time);
        private final Heard heard = Heard.on(breaker);
        private final long staleSuccess = breaker.acquirePermit();
        private final long staleFailure = breaker.acquirePermit();

        public StaleInHalfOpen() {
            failOnce(breaker);
            time.advance(OPEN_DURATION);
        }

        @Operation(runOnce = true)
        public long probeThatFails() {
            long permit = breaker.acquirePermit();
            breaker.onFailure(permit, 0, FAILURE);
            return permit;
        }

        @Operation(runOnce = true)
        public void staleSuccess() {
            breaker.onSuccess(staleSuccess, 0);
        }

        @Operation(runOnce = true)
        public void staleFailure() {
            breaker.onFailure(staleFailure, 0, FAILURE);
        }

        @Validate
        public void theProbeAloneDecided() {
            BreakerSnapshot snapshot = breaker.snapshot();
            assertEquals(OPEN, snapshot.state(), "state after the probe failed");
            assertEquals(1, snapshot.bufferedCalls(), () -> "calls counted by the round: " + snapshot);
            assertEquals(1, snapshot.failedCalls(), () -> "failures counted by the round: " + snapshot);
            heard.assertPath(OPEN, HALF_OPEN, OPEN);
            heard.assertInOrder(breaker);
        }
    }

    /** Three calls fail at once on a closed breaker that opens when its window of three all failed. */
    public static final class RacingFailures {

        private final CircuitBreaker breaker = CircuitBreaker.of("trip", THREE_CALLS, new FakeTime());
        private final Heard heard = Heard.on(breaker);

        @Operation
        public void failingCall() {
            failOnce(breaker);
        }

        @Validate
        public void openedOnce() {
            assertEquals(1, heard.count(CLOSED, OPEN), () -> "closed->open transitions: " + heard);
            BreakerSnapshot snapshot = breaker.snapshot();
            assertEquals(OPEN, snapshot.state(), "state after the window filled with failures");
            assertEquals(3, snapshot.failedCalls(), () -> "failures of the window that opened it: " + snapshot);
            heard.assertPath(OPEN);
            heard.assertInOrder(breaker);
        }
    }

    /**
     * Three readers notice at once that the open duration has passed: {@code state()}, {@code snapshot()}, and a
     * caller whose probe fails, so that one thread may make the breaker half-open and another reopen it. The results
     * check that a reader sees open again only after the probe failed.
     */
    public static final class ReadRace {

        private final FakeTime time = new FakeTime();
        private final CircuitBreaker breaker = CircuitBreaker.of("read-race", ONE_CALL_ONE_PROBE, time);
        private final Heard heard = Heard.on(breaker);

        public ReadRace() {
            failOnce(breaker);
            time.advance(OPEN_DURATION);
        }

        @Operation(runOnce = true)
        public BreakerState state() {
            return breaker.state();
        }

        @Operation(runOnce = true)
        public BreakerState snapshotState() {
            return breaker.snapshot().state();
        }

        @Operation(runOnce = true)
        public long probeThatFails() {
            long permit = breaker.acquirePermit();
            breaker.onFailure(permit, 0, FAILURE);
            return permit;
        }

        @Validate
        public void oneHalfOpenRoundHeardInOrder() {
            assertEquals(1, heard.count(OPEN, HALF_OPEN), () -> "open->half_open transitions: " + heard);
            heard.assertPath(OPEN, HALF_OPEN, OPEN);
            heard.assertInOrder(breaker);
        }
    }

    private static void failOnce(CircuitBreaker breaker) {
        breaker.onFailure(breaker.acquirePermit(), 0, FAILURE);
    }

    /**
     * The transitions a listener heard, in the order it heard them. Lock-free, so that it adds no lock to the
     * obstruction-freedom check: each transition takes the next pair of slots.
     */
    private static final class Heard implements BreakerListener {

        private final AtomicReferenceArray<BreakerState> slots = new AtomicReferenceArray<>(32);
        private final AtomicInteger size = new AtomicInteger();

        static Heard on(CircuitBreaker breaker) {
            Heard heard = new Heard();
            breaker.addListener(heard);
            return heard;
        }

        @Override
        public void onTransition(CircuitBreaker breaker, BreakerState from, BreakerState to, Duration ago) {
            int at = 2 * size.getAndIncrement();
            slots.set(at, from);
            slots.set(at + 1, to);
        }

        int count(BreakerState from, BreakerState to) {
            int found = 0;
            for (int i = 0; i < size.get(); i++) {
                found += slots.get(2 * i) == from && slots.get(2 * i + 1) == to ? 1 : 0;
            }
            return found;
        }

        /**
         * Each transition starts where the previous one ended, the first where a new breaker starts (closed), the
         * last where the breaker is now; and one was heard per state the breaker entered (its epoch counts them).
         */
        void assertInOrder(CircuitBreaker breaker) {
            BreakerState now = breaker.state(); // first, since reading may make a transition that time made due
            BreakerState previous = CLOSED;
            for (int i = 0; i < size.get(); i++) {
                assertEquals(previous, slots.get(2 * i), () -> "a transition starts where the last ended: " + this);
                previous = slots.get(2 * i + 1);
            }
            assertEquals(now, previous, () -> "the last transition ends in the current state: " + this);
            assertEquals(breaker.current().epoch(), size.get(), () -> "one transition per state entered: " + this);
        }

        /** Heard exactly the walk from closed through these states. */
        void assertPath(BreakerState... states) {
            boolean same = size.get() == states.length;
            for (int i = 0; same && i < states.length; i++) {
                same = slots.get(2 * i + 1) == states[i];
            }
            assertTrue(same, () -> "expected closed->" + Arrays.toString(states) + " but heard " + this);
        }

        @Override
        public String toString() {
            List<String> heard = new ArrayList<>();
            for (int i = 0; i < size.get(); i++) {
                heard.add(slots.get(2 * i).tag() + "->" + slots.get(2 * i + 1).tag());
            }
            return heard.toString();
        }
    }
}
