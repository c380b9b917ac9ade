package dev.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.State.HalfOpen;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Many threads on one breaker, released together; invariants checked afterwards. */
class ConcurrencyTests {

    private static final int THREADS = 8;

    private final FakeTime time = new FakeTime();
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stopThreads() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private void together(Callable<Void> work) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Void>> running = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            running.add(pool.submit(() -> {
                start.await();
                return work.call();
            }));
        }
        start.countDown();
        for (Future<Void> thread : running) {
            thread.get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void noCountIsLostWhenManyThreadsRecordAtOnce() throws Exception {
        // given windows larger than the calls, so that every call stays counted and nothing is decided
        int perThread = 20_000;
        CircuitBreaker count = CircuitBreaker.of("count", BreakerConfig.builder().windowSize(200_000)
                .minimumCalls(200_000).slowCallDuration(Duration.ofMillis(1)).build(), time);
        CircuitBreaker timed = CircuitBreaker.of("time", BreakerConfig.builder()
                .windowType(BreakerConfig.WindowType.TIME).minimumCalls(200_000)
                .slowCallDuration(Duration.ofMillis(1)).build(), time);
        long slow = Duration.ofMillis(1).toNanos();
        AtomicLong failures = new AtomicLong();
        AtomicLong slows = new AtomicLong();

        // when
        together(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < perThread; i++) {
                boolean failed = random.nextInt(3) == 0;
                long nanos = random.nextInt(4) == 0 ? slow : 0;
                failures.addAndGet(failed ? 1 : 0);
                slows.addAndGet(nanos == slow ? 1 : 0);
                for (CircuitBreaker breaker : List.of(count, timed)) {
                    long permit = breaker.acquirePermit();
                    if (failed) {
                        breaker.onFailure(permit, nanos, new IOException());
                    } else {
                        breaker.onSuccess(permit, nanos);
                    }
                }
            }
            return null;
        });

        // then
        for (CircuitBreaker breaker : List.of(count, timed)) {
            BreakerSnapshot snapshot = breaker.snapshot();
            assertThat(snapshot.bufferedCalls()).as(breaker.name()).isEqualTo(THREADS * perThread);
            assertThat(snapshot.failedCalls()).as(breaker.name()).isEqualTo(failures.get());
            assertThat(snapshot.slowCalls()).as(breaker.name()).isEqualTo(slows.get());
            assertThat(snapshot.state()).isEqualTo(BreakerState.CLOSED);
        }
    }

    @RepeatedTest(5)
    void aRingThatLapsItselfUnderContentionKeepsAnExactTally() throws Exception {
        // given a small ring that 8 threads overwrite concurrently, many times round
        CountWindow window = new CountWindow(8);
        together(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < 50_000; i++) {
                window.record(random.nextInt(4));
            }
            return null;
        });
        assertThat(Tally.calls(window.tally())).isEqualTo(8);

        // when 8 known outcomes replace whatever is there
        for (int i = 0; i < 8; i++) {
            window.record(i < 3 ? Tally.FAILED : i < 5 ? Tally.SLOW : 0);
        }

        // then the tally holds exactly them: no drift from the concurrent laps
        long tally = window.tally();
        assertThat(Tally.calls(tally)).isEqualTo(8);
        assertThat(Tally.failures(tally)).isEqualTo(3);
        assertThat(Tally.slows(tally)).isEqualTo(2);
    }

    @RepeatedTest(3)
    void underMixedLoadOnlyLegalTransitionsHappenAndNoHalfOpenRoundAdmitsMoreThanItsProbes() throws Exception {
        // given a breaker that opens, probes and closes many times
        int probes = 3;
        CircuitBreaker breaker = CircuitBreaker.of("payments", BreakerConfig.builder().windowSize(20)
                .minimumCalls(10).failureRateThreshold(50).openDuration(Duration.ofMillis(1)).halfOpenProbes(probes)
                .build(), time);
        ConcurrentLinkedQueue<String> transitions = new ConcurrentLinkedQueue<>();
        breaker.addListener((b, from, to, ago) -> transitions.add(from.tag() + "->" + to.tag()));
        Map<Long, AtomicInteger> probesByRound = new ConcurrentHashMap<>();
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger rejected = new AtomicInteger();

        // when
        together(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < 20_000; i++) {
                if (random.nextInt(50) == 0) {
                    time.advance(Duration.ofMillis(1));
                }
                long permit;
                try {
                    permit = breaker.acquirePermit();
                } catch (BreakerOpenException rejection) {
                    rejected.incrementAndGet();
                    continue;
                }
                admitted.incrementAndGet();
                // a half-open state cannot end before this probe completes, so this check is exact
                if (breaker.current() instanceof HalfOpen halfOpen && halfOpen.epoch() == permit) {
                    probesByRound.computeIfAbsent(permit, round -> new AtomicInteger()).incrementAndGet();
                }
                if (random.nextInt(100) < 55) {
                    breaker.onFailure(permit, 0, new IOException());
                } else {
                    breaker.onSuccess(permit, 0);
                }
            }
            return null;
        });

        // then
        Set<String> legal = Set.of("closed->open", "open->half_open", "half_open->open", "half_open->closed");
        assertThat(transitions).isNotEmpty().allMatch(legal::contains);
        long intoHalfOpen = transitions.stream().filter("open->half_open"::equals).count();
        long outOfHalfOpen = transitions.stream().filter(t -> t.startsWith("half_open->")).count();
        assertThat(outOfHalfOpen).isBetween(intoHalfOpen - 1, intoHalfOpen);
        assertThat(probesByRound).as("half-open rounds seen").hasSizeGreaterThan(10);
        assertThat(probesByRound.values()).allSatisfy(round -> assertThat(round.get()).isLessThanOrEqualTo(probes));
        assertThat(admitted.get() + rejected.get()).isEqualTo(THREADS * 20_000);
        assertThat(breaker.snapshot().rejectedCalls()).isEqualTo(rejected.get());
    }
}
