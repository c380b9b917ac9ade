package dev.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A breaker is never stuck: time moves it, whether or not a call arrives, and every round of probes ends. */
class NeverStuckTests {

    private static final Duration OPEN = Duration.ofSeconds(30);
    private static final Duration MAX_WAIT = Duration.ofSeconds(60);

    private final FakeTime time = new FakeTime();
    private final List<String> heard = new CopyOnWriteArrayList<>();

    private CircuitBreaker openBreaker(BreakerConfig.Builder config) {
        CircuitBreaker breaker = CircuitBreaker.of("payments", config.windowSize(1).minimumCalls(1)
                .openDuration(OPEN).halfOpenMaxWait(MAX_WAIT).build(), time);
        breaker.addListener((b, from, to, ago) -> heard.add(from.tag() + "->" + to.tag() + " " + ago.toSeconds() + "s ago"));
        breaker.onFailure(breaker.acquirePermit(), 0, new IOException());
        return breaker;
    }

    @Test
    void readinessAnOpenBreakerPastItsOpenDurationIsHalfOpenWithoutAnyCall() {
        CircuitBreaker breaker = openBreaker(BreakerConfig.builder().outOfServiceWhenOpen(true));

        time.advance(Duration.ofHours(6));

        assertThat(breaker.state()).isEqualTo(BreakerState.HALF_OPEN);
        assertThat(breaker.snapshot().state()).isEqualTo(BreakerState.HALF_OPEN);
        assertThat(breaker.snapshot().remainingOpen()).isZero();
        assertThat(heard).as("dated at its instant, 30 s after opening")
                .containsExactly("closed->open 0s ago", "open->half_open " + (6 * 3600 - 30) + "s ago");
    }

    @Test
    void aSnapshotReadsTheOpenDurationThroughTheClock() {
        CircuitBreaker breaker = openBreaker(BreakerConfig.builder());

        time.advance(Duration.ofSeconds(20));
        assertThat(breaker.snapshot().state()).isEqualTo(BreakerState.OPEN);
        assertThat(breaker.snapshot().remainingOpen()).isEqualTo(Duration.ofSeconds(10));

        time.advance(Duration.ofSeconds(10));
        assertThat(breaker.snapshot().state()).isEqualTo(BreakerState.HALF_OPEN);
    }

    @Test
    void hungProbeAProbeThatNeverCompletesHoldsHalfOpenNoLongerThanTheMaxWait() {
        CircuitBreaker breaker = openBreaker(BreakerConfig.builder().halfOpenProbes(1));
        time.advance(OPEN);
        long hung = breaker.acquirePermit();

        time.advance(Duration.ofSeconds(20));
        BreakerOpenException rejected = (BreakerOpenException) catchThrowable(breaker::acquirePermit);
        assertThat(rejected.state()).isEqualTo(BreakerState.HALF_OPEN);
        assertThat(rejected.retryAfter()).as("until the max wait ends").isEqualTo(Duration.ofSeconds(40));

        time.advance(Duration.ofSeconds(40));
        assertThat(breaker.state()).as("no probe completed: open again").isEqualTo(BreakerState.OPEN);
        breaker.onSuccess(hung, 0);
        assertThat(breaker.state()).as("the hung probe's late outcome is dropped").isEqualTo(BreakerState.OPEN);

        time.advance(OPEN);
        long probe = breaker.acquirePermit();
        breaker.onSuccess(probe, 0);
        assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(heard).containsExactly("closed->open 0s ago", "open->half_open 0s ago", "half_open->open 0s ago",
                "open->half_open 0s ago", "half_open->closed 0s ago");
    }

    @Test
    void atTheMaxWaitTheRoundDecidesOverTheProbesCompletedSoFarAndDropsTheRest() {
        CircuitBreaker breaker = openBreaker(BreakerConfig.builder().halfOpenProbes(3).failureRateThreshold(50));
        time.advance(OPEN);
        long first = breaker.acquirePermit();
        long second = breaker.acquirePermit();
        long stillRunning = breaker.acquirePermit();
        breaker.onSuccess(first, 0);
        breaker.onSuccess(second, 0);

        time.advance(MAX_WAIT.plusMinutes(10));

        assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
        breaker.onFailure(stillRunning, 0, new IOException());
        assertThat(breaker.snapshot().bufferedCalls()).as("its outcome is dropped").isZero();
        assertThat(heard).last().isEqualTo("half_open->closed 600s ago");
    }

    @Test
    void aHalfOpenBreakerThatAdmittedNoProbeStaysHalfOpen() {
        CircuitBreaker breaker = openBreaker(BreakerConfig.builder());

        time.advance(Duration.ofDays(3));

        assertThat(breaker.state()).isEqualTo(BreakerState.HALF_OPEN);
        assertThat(heard).hasSize(2);
    }

    @Test
    void aQuietBreakerReadLateGoesThroughEveryStateItPassedInOrder() {
        CircuitBreaker breaker = openBreaker(BreakerConfig.builder().halfOpenProbes(1));
        time.advance(OPEN);
        breaker.acquirePermit(); // a probe that never ends

        time.advance(Duration.ofMinutes(5)); // max wait at +60 s, open again until +90 s, then half-open

        assertThat(breaker.state()).isEqualTo(BreakerState.HALF_OPEN);
        assertThat(heard).containsExactly("closed->open 0s ago", "open->half_open 0s ago",
                "half_open->open 240s ago", "open->half_open 210s ago");
    }

    @Test
    void ignoredProbesARoundWhoseProbesAllEndIgnoredOpensAgainInsteadOfProbingForEver() throws Exception {
        CircuitBreaker breaker = openBreaker(BreakerConfig.builder().halfOpenProbes(2)
                .ignoreExceptions(List.of(IllegalArgumentException.class)));
        Guard guard = Guard.builder("PaymentClient.charge").breaker(breaker).timeSource(time).build();
        time.advance(OPEN);
        AtomicInteger reached = new AtomicInteger();

        for (int i = 0; i < 1_000; i++) {
            catchThrowable(() -> guard.call(() -> {
                reached.incrementAndGet();
                throw new IllegalArgumentException("ignored");
            }));
        }

        assertThat(reached).as("calls in one half-open period of half-open-probes: 2").hasValue(2);
        assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
    }

    @Test
    void aRejectionAtALaterAttemptKeepsTheFailureThatPrecededIt() {
        CircuitBreaker breaker = CircuitBreaker.of("payments", BreakerConfig.defaults(), time);
        TimeSource opensWhileWaiting = new TimeSource() {
            @Override
            public long nanoTime() {
                return time.nanoTime();
            }

            @Override
            public void sleep(long nanos) {
                time.sleep(nanos);
                breaker.forceOpen(); // another caller's failures opened it meanwhile
            }

            @Override
            public void schedule(Runnable task, long delayNanos) {
                time.schedule(task, delayNanos);
            }
        };
        Guard guard = Guard.builder("PaymentClient.charge").breaker(breaker).timeSource(opensWhileWaiting)
                .retry(RetryPolicy.builder().maxAttempts(3).idempotent(true).build()).build();
        IOException first = new IOException("503");

        Throwable thrown = catchThrowable(() -> guard.call(() -> {
            throw first;
        }));

        assertThat(thrown).isInstanceOf(BreakerOpenException.class).hasCause(first);
    }

    @Test
    void whatItShowsListenersHearRacingTransitionsInTheOrderTheyHappened() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.of("payments", BreakerConfig.defaults(), time);
        List<BreakerState[]> order = new CopyOnWriteArrayList<>();
        breaker.addListener((b, from, to, ago) -> order.add(new BreakerState[] {from, to}));
        int threads = 4;
        int rounds = 20_000;
        Thread[] racers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            boolean opens = t % 2 == 0;
            racers[t] = new Thread(() -> {
                for (int i = 0; i < rounds; i++) {
                    if (opens) {
                        breaker.forceOpen();
                    } else {
                        breaker.close();
                    }
                }
            });
        }
        for (Thread racer : racers) {
            racer.start();
        }
        for (Thread racer : racers) {
            racer.join();
        }

        assertThat(order).isNotEmpty();
        BreakerState expected = BreakerState.CLOSED;
        for (BreakerState[] transition : order) {
            assertThat(transition[0]).as("each transition leaves the state the previous one entered")
                    .isEqualTo(expected);
            expected = transition[1];
        }
        assertThat(expected).isEqualTo(breaker.state());
    }

    @Test
    void aForcedOpenRejectionReadsNoClockSoThatItStaysCheap() {
        // regression: reading the clock for every non-closed state made a forced-open rejection 2.5x slower
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        TimeSource counting = new TimeSource() {
            @Override
            public long nanoTime() {
                reads.incrementAndGet();
                return time.nanoTime();
            }

            @Override
            public void sleep(long nanos) {
                time.sleep(nanos);
            }

            @Override
            public void schedule(Runnable task, long delayNanos) {
                time.schedule(task, delayNanos);
            }
        };
        CircuitBreaker breaker = CircuitBreaker.of("payments", BreakerConfig.defaults(), counting);
        breaker.forceOpen();
        reads.set(0);

        BreakerOpenException rejected = (BreakerOpenException) catchThrowable(breaker::acquirePermit);

        assertThat(rejected.state()).isEqualTo(BreakerState.FORCED_OPEN);
        assertThat(reads).hasValue(0);
    }
}
