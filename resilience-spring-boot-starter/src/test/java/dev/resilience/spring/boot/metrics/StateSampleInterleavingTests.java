package dev.resilience.spring.boot.metrics;

import static org.jetbrains.lincheck.datastructures.ManagedStrategyGuaranteeKt.forClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.resilience.BreakerConfig;
import dev.resilience.BreakerOpenException;
import dev.resilience.BreakerState;
import dev.resilience.CircuitBreaker;
import dev.resilience.TimeSource;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Lincheck races reads of a breaker's four {@code resilience.breaker.state} series against its state changes, under
 * every interleaving it explores: a scrape shows exactly one state at 1, and one sample of the state never serves a
 * series twice, however many scrapes read at once.
 */
// How it works, as in the core's BreakerInterleavingTests: each scenario class is built afresh for every run, on a
// breaker that opened and whose open duration has just passed (so the first read of its state makes it half-open),
// and each @Operation is one call. The model checker drives the threads through INTERLEAVINGS interleavings, then a
// stress run races them on real threads. Lincheck checks the results against some sequential order of the same calls
// (linearizability: a sequential order is also what gives the sample's rule its meaning, each sample serving each
// series once and a repeated series taking a new one), and calls the @Validate method. The clock stands still during
// the race, so no sample goes stale: a scrape that takes longer than a sample lives is not a case of the claim.
@Tag("interleavings") // runs in a JVM of its own, with the other Lincheck tests: see the pom
class StateSampleInterleavingTests {

    /** Interleavings explored per scenario; {@code -Dstate-sample.interleavings=20000} explores deeper. */
    private static final int INTERLEAVINGS = Integer.getInteger("state-sample.interleavings", 500);
    /** Runs of the stress test per scenario, on real threads; {@code -Dstate-sample.stress-runs} sets it. */
    private static final int STRESS_RUNS = Integer.getInteger("state-sample.stress-runs", 1_000);

    private static final Duration OPEN_DURATION = Duration.ofSeconds(10);
    private static final BreakerConfig ONE_CALL_ONE_PROBE = BreakerConfig.builder().windowSize(1).minimumCalls(1)
            .failureRateThreshold(100).openDuration(OPEN_DURATION).halfOpenProbes(1).build();
    private static final BreakerState[] STATES = BreakerState.values();

    /** Model-checks the scenario with one call per thread, then stress-tests it, as BreakerInterleavingTests does. */
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
    void aScrapeShowsExactlyOneStateWhileTheBreakerChangesState() {
        check(ScrapeRacesTransitions.class, 4);
    }

    @Test
    void aSampleServesEachSeriesOnceAmongRacingReads() {
        check(ReadsRaceAStateChange.class, 4);
    }

    /**
     * One scrape reads the four series, one after the other, while a probe fails (half-open, then open again) and
     * two operators force the breaker open and close it.
     */
    public static final class ScrapeRacesTransitions {

        private final Breaker breaker = new Breaker();
        private final AtomicReference<String> scraped = new AtomicReference<>();

        @Operation(runOnce = true)
        public String scrape() {
            StringBuilder shown = new StringBuilder();
            for (BreakerState state : STATES) {
                shown.append((int) breaker.sample.is(state));
            }
            scraped.set(shown.toString());
            return shown.toString();
        }

        @Operation(runOnce = true)
        public String probeThatFails() {
            return breaker.probeThatFails();
        }

        @Operation(runOnce = true)
        public void forceOpen() {
            breaker.breaker.forceOpen();
        }

        @Operation(runOnce = true)
        public void close() {
            breaker.breaker.close();
        }

        @Validate
        public void exactlyOneStateAtOne() {
            String shown = scraped.get();
            assertEquals(1, shown.chars().filter(c -> c == '1').count(),
                    () -> "series at 1 in one scrape (closed, open, half_open, forced_open): " + shown);
        }
    }

    /**
     * Two scrapes read the half_open series while a third reads forced_open and an operator forces the breaker open.
     * The sample of half_open taken before the race (reading open) may serve half_open once: a second read takes a
     * new sample, which shows forced_open once the operator is done.
     */
    public static final class ReadsRaceAStateChange {

        private final Breaker breaker = new Breaker();

        public ReadsRaceAStateChange() {
            breaker.sample.is(BreakerState.OPEN); // the first read: the breaker becomes half-open, the sample shows it
        }

        @Operation(runOnce = true)
        public double halfOpen() {
            return breaker.sample.is(BreakerState.HALF_OPEN);
        }

        @Operation(runOnce = true)
        public double halfOpenAgain() {
            return breaker.sample.is(BreakerState.HALF_OPEN);
        }

        @Operation(runOnce = true)
        public double forcedOpen() {
            return breaker.sample.is(BreakerState.FORCED_OPEN);
        }

        @Operation(runOnce = true)
        public void forceOpen() {
            breaker.breaker.forceOpen();
        }
    }

    /** A breaker opened by one failure, its open duration just passed, and the sample of its state series. */
    private static final class Breaker {

        final StillClock clock = new StillClock();
        final CircuitBreaker breaker = CircuitBreaker.of("payments", ONE_CALL_ONE_PROBE, clock);
        final StateSample sample = new StateSample(breaker, clock);

        Breaker() {
            breaker.onFailure(breaker.acquirePermit(), 0, new IOException("503"));
            clock.advance(OPEN_DURATION);
        }

        String probeThatFails() {
            long permit;
            try {
                permit = breaker.acquirePermit();
            } catch (BreakerOpenException rejected) {
                return "rejected";
            }
            breaker.onFailure(permit, 0, new IOException("503"));
            return "failed";
        }
    }

    /** A clock that moves only when told, between races. Lock-free. */
    private static final class StillClock implements TimeSource {

        private final AtomicLong now = new AtomicLong(1_000_000_000L);

        void advance(Duration duration) {
            now.addAndGet(duration.toNanos());
        }

        @Override
        public long nanoTime() {
            return now.get();
        }

        @Override
        public void sleep(long nanos) {
            throw new UnsupportedOperationException("nothing here sleeps");
        }

        @Override
        public void schedule(Runnable task, long delayNanos) {
            throw new UnsupportedOperationException("nothing here is scheduled");
        }
    }
}
