package dev.resilience;

import static org.jetbrains.lincheck.datastructures.ManagedStrategyGuaranteeKt.forClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Lincheck races first attempts and retries on one retry budget under every interleaving it explores: racing retries
 * overshoot {@code ratio × F + min-retries-per-second × window} by fewer places than there are racing threads, and
 * the budget counts every first attempt and every retry it allowed.
 */
// How it works, as in BreakerInterleavingTests, except that each thread makes a few calls: in RetriesRace each of
// three threads asks for two retries; in DepositsRaceRetries Lincheck deals three calls, first attempts or retries,
// to each thread at random (DEALS different deals). The model checker explores INTERLEAVINGS interleavings of each
// deal, then a stress run races it on real threads. The operations return nothing, since racing
// retries may both take the last place, which no sequential order allows; what they did is counted, and the
// @Validate method checks the counts against the formula. Why the bound holds: a retry reads the window, then counts
// itself. Let k be the retries the final formula allows (its ceiling). A retry that reads after the k-th count sees
// no place left, and every thread has at most one retry between its read and its count, so besides the first k
// counted, at most one retry per other thread gets through: at most k + threads - 1 in all.
class RetryBudgetInterleavingTests {

    /** Deals of first attempts and retries to threads in DepositsRaceRetries; {@code -Dbudget.deals} sets it. */
    private static final int DEALS = Integer.getInteger("budget.deals", 10);
    /**
     * Interleavings explored per scenario, spread over its deals: enough that the racing retries reach the bound
     * (in about one interleaving in a hundred); {@code -Dbudget.interleavings=20000} explores deeper.
     */
    private static final int INTERLEAVINGS = Integer.getInteger("budget.interleavings", 1_000);
    /** Runs of the stress test per scenario, on real threads, spread over its deals; {@code -Dbudget.stress-runs}. */
    private static final int STRESS_RUNS = Integer.getInteger("budget.stress-runs", 3_000);

    private static final double RATIO = 0.5;
    private static final long SECOND = Duration.ofSeconds(1).toNanos();
    /** First attempts added after the race, so that {@code available()} is clear of 0 and shows every count. */
    private static final int LIFT = 100;

    /** Explores {@code deals} deals of {@code calls} calls to each of three threads, then stress-tests them. */
    private static void check(Class<?> scenario, int deals, int calls) {
        new ModelCheckingOptions().iterations(deals).invocationsPerIteration(INTERLEAVINGS / deals)
                .threads(3).actorsPerThread(calls).actorsBefore(0).actorsAfter(0).minimizeFailedScenario(false)
                .checkObstructionFreedom(true)
                .addGuarantee(forClasses(ConcurrentHashMap.class.getName(), LongAdder.class.getName(),
                        Duration.class.getName()).allMethods().treatAsAtomic())
                .check(scenario);
        new StressOptions().iterations(deals).invocationsPerIteration(STRESS_RUNS / deals)
                .threads(3).actorsPerThread(calls).actorsBefore(0).actorsAfter(0).minimizeFailedScenario(false)
                .check(scenario);
    }

    @Test
    void racingRetriesOvershootTheFormulaByFewerPlacesThanThereAreRacingThreads() {
        check(RetriesRace.class, 1, 2);
    }

    @Test
    void firstAttemptsAndRetriesRacingIntoANewBucketAreAllCounted() {
        check(DepositsRaceRetries.class, DEALS, 3);
    }

    /**
     * Six retries race for the one place left by two first attempts (ratio 0.5, no floor), in the bucket that the
     * first attempts went to: up to three may get through, one per thread, never a fourth.
     */
    public static final class RetriesRace {

        private final Tally tally = new Tally(0, 2, 0);

        @Operation
        public void retry() {
            tally.retry();
        }

        @Validate
        public void withinTheBound() {
            tally.check();
        }
    }

    /**
     * First attempts and retries race one second after two first attempts (ratio 0.5, a floor of one retry a second
     * over a two-second window): they land in the window's second bucket, which the first of them to come creates.
     */
    public static final class DepositsRaceRetries {

        private final Tally tally = new Tally(1, 2, SECOND);

        @Operation
        public void firstAttempt() {
            tally.firstAttempt();
        }

        @Operation
        public void retry() {
            tally.retry();
        }

        @Validate
        public void withinTheBoundAndAllCounted() {
            tally.check();
        }
    }

    /** A budget, what was asked of it during the race, and what it allowed. */
    private static final class Tally {

        private final FakeTime time = new FakeTime();
        private final RetryBudget budget;
        private final int firstsBefore;
        private final double floor;
        private final long at;
        private final AtomicInteger firsts = new AtomicInteger();
        private final AtomicInteger allowed = new AtomicInteger();
        private final AtomicInteger refused = new AtomicInteger();
        private final Set<Thread> racers = ConcurrentHashMap.newKeySet();

        /**
         * @param perSecond the floor, in retries a second over a two-second window
         * @param firstsBefore first attempts counted before the race
         * @param later how long after them the race takes place
         */
        Tally(int perSecond, int firstsBefore, long later) {
            budget = RetryBudget.of("payments", new BudgetConfig(true, RATIO, perSecond, Duration.ofSeconds(2)),
                    time);
            this.firstsBefore = firstsBefore;
            this.floor = perSecond * 2.0;
            for (int i = 0; i < firstsBefore; i++) {
                budget.firstAttempt(time.nanoTime());
            }
            time.advance(later);
            at = time.nanoTime();
        }

        void firstAttempt() {
            budget.firstAttempt(at);
            firsts.incrementAndGet();
        }

        void retry() {
            racers.add(Thread.currentThread());
            if (budget.tryRetry(at)) {
                allowed.incrementAndGet();
            } else {
                refused.incrementAndGet();
            }
        }

        void check() {
            double formula = RATIO * (firstsBefore + firsts.get()) + floor;
            long places = (long) Math.ceil(formula);
            int retries = allowed.get();
            int threads = racers.size();
            String race = retries + " of " + (retries + refused.get()) + " retries allowed by " + threads
                    + " racing threads after " + (firstsBefore + firsts.get()) + " first attempts, formula " + formula;
            assertTrue(retries <= places + Math.max(0, threads - 1), () -> "overshoot beyond the bound: " + race);
            double placesBefore = RATIO * firstsBefore + floor;
            assertTrue(refused.get() == 0 || retries >= placesBefore,
                    () -> "a retry refused while places were left: " + race);
            for (int i = 0; i < LIFT; i++) {
                budget.firstAttempt(at);
            }
            double lifted = RATIO * (firstsBefore + firsts.get() + LIFT) + floor;
            assertEquals(lifted - retries, budget.available(), 1e-9,
                    () -> "the budget lost count of a first attempt or a retry: " + race);
        }
    }
}
