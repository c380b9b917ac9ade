package dev.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class CircuitBreakerTests {

    private static final long FAST = Duration.ofMillis(5).toNanos();

    private final FakeTime time = new FakeTime();
    private final List<String> transitions = new CopyOnWriteArrayList<>();

    private CircuitBreaker breaker(BreakerConfig.Builder config) {
        CircuitBreaker breaker = CircuitBreaker.of("stock", config.build(), time);
        breaker.addListener((b, from, to, ago) -> transitions.add(from.tag() + "->" + to.tag()));
        return breaker;
    }

    private static void succeed(CircuitBreaker breaker, long nanos) {
        breaker.onSuccess(breaker.acquirePermit(), nanos);
    }

    private static Outcome fail(CircuitBreaker breaker, Throwable failure) {
        return breaker.onFailure(breaker.acquirePermit(), FAST, failure);
    }

    @Test
    void nothingIsDecidedBeforeTheMinimumNumberOfCalls() {
        CircuitBreaker breaker = breaker(BreakerConfig.builder().windowSize(10).minimumCalls(4));

        for (int i = 0; i < 3; i++) {
            fail(breaker, new IOException());
        }
        assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(breaker.snapshot().failureRate()).as("the rate is shown before it decides").isEqualTo(100.0);

        fail(breaker, new IOException());
        assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
    }

    @Test
    void itOpensAtTheFailureRateThresholdNotBelowIt() {
        CircuitBreaker breaker = breaker(BreakerConfig.builder().windowSize(4).minimumCalls(4).failureRateThreshold(50));

        succeed(breaker, FAST);
        succeed(breaker, FAST);
        succeed(breaker, FAST);
        fail(breaker, new IOException());
        assertThat(breaker.state()).as("25 %").isEqualTo(BreakerState.CLOSED);

        fail(breaker, new IOException()); // the oldest success leaves the window: 2 of 4
        assertThat(breaker.state()).as("50 %").isEqualTo(BreakerState.OPEN);
        assertThat(breaker.snapshot()).satisfies(s -> {
            assertThat(s.failureRate()).isEqualTo(50.0);
            assertThat(s.bufferedCalls()).isEqualTo(4);
            assertThat(s.failedCalls()).isEqualTo(2);
        });
    }

    @Test
    void slowCallsOpenItAtTheSlowCallRateThreshold() {
        CircuitBreaker breaker = breaker(BreakerConfig.builder().windowSize(4).minimumCalls(4)
                .slowCallDuration(Duration.ofSeconds(2)).slowCallRateThreshold(75));
        long slow = Duration.ofSeconds(2).toNanos();

        succeed(breaker, slow - 1);
        succeed(breaker, slow);
        succeed(breaker, slow);
        succeed(breaker, FAST);
        assertThat(breaker.state()).as("50 %: a call just under the duration is not slow")
                .isEqualTo(BreakerState.CLOSED);

        succeed(breaker, slow); // replaces the oldest, not slow: 3 of 4
        assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
        assertThat(breaker.snapshot().slowCallRate()).isEqualTo(75.0);
    }

    @Test
    void aTimeWindowForgetsCallsOlderThanItsDuration() {
        CircuitBreaker breaker = breaker(BreakerConfig.builder().windowType(BreakerConfig.WindowType.TIME)
                .windowDuration(Duration.ofSeconds(10)).minimumCalls(3).failureRateThreshold(100));

        fail(breaker, new IOException());
        fail(breaker, new IOException());
        time.advance(Duration.ofSeconds(11));
        assertThat(breaker.snapshot().bufferedCalls()).isZero();

        fail(breaker, new IOException());
        assertThat(breaker.state()).as("only one failure in the window").isEqualTo(BreakerState.CLOSED);
        time.advance(Duration.ofSeconds(4));
        fail(breaker, new IOException());
        fail(breaker, new IOException());
        assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
    }

    @Test
    void halfOpenClosesWhenTheProbesFailBelowTheThresholdAndOpensAgainAtIt() {
        BreakerConfig.Builder config = BreakerConfig.builder().windowSize(2).minimumCalls(2).failureRateThreshold(50)
                .halfOpenProbes(4).openDuration(Duration.ofSeconds(5));
        CircuitBreaker breaker = breaker(config);
        fail(breaker, new IOException());
        fail(breaker, new IOException());
        time.advance(Duration.ofSeconds(5));

        // 1 failure in 4 probes: 25 % is below 50 %
        fail(breaker, new IOException());
        succeed(breaker, FAST);
        succeed(breaker, FAST);
        assertThat(breaker.state()).as("decided only when all probes completed").isEqualTo(BreakerState.HALF_OPEN);
        succeed(breaker, FAST);
        assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);

        // open it again, then 2 failures in 4 probes: 50 % opens
        fail(breaker, new IOException());
        fail(breaker, new IOException());
        time.advance(Duration.ofSeconds(5));
        fail(breaker, new IOException());
        fail(breaker, new IOException());
        succeed(breaker, FAST);
        succeed(breaker, FAST);
        assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
        assertThat(transitions).containsExactly("closed->open", "open->half_open", "half_open->closed",
                "closed->open", "open->half_open", "half_open->open");
    }

    @Test
    void inHalfOpenTheCallsBeyondTheProbesAreRejectedWithTheirOwnMessage() {
        CircuitBreaker breaker = breaker(BreakerConfig.builder().windowSize(1).minimumCalls(1).halfOpenProbes(2));
        fail(breaker, new IOException());
        time.advance(Duration.ofSeconds(30));

        breaker.acquirePermit();
        breaker.acquirePermit();
        Throwable third = catchThrowable(breaker::acquirePermit);

        assertThat(third).isInstanceOfSatisfying(BreakerOpenException.class, open -> {
            assertThat(open.state()).isEqualTo(BreakerState.HALF_OPEN);
            assertThat(open.retryAfter()).as("until half-open-max-wait ends").isEqualTo(Duration.ofSeconds(60));
            assertThat(open).hasMessage("Breaker 'stock' is half_open and every probe is taken; it admits a probe"
                    + " in 60s at the latest");
        });
        assertThat(breaker.snapshot().rejectedCalls()).isEqualTo(1);
    }

    @Test
    void anOutcomeCountsOnlyInTheStateThatAdmittedIt() {
        CircuitBreaker breaker = breaker(BreakerConfig.builder().windowSize(2).minimumCalls(2).halfOpenProbes(1));
        long admittedWhileClosed = breaker.acquirePermit();
        fail(breaker, new IOException());
        fail(breaker, new IOException());
        time.advance(Duration.ofSeconds(30));
        long probe = breaker.acquirePermit();

        // a slow call admitted while closed ends during half-open: it is not the probe
        breaker.onSuccess(admittedWhileClosed, FAST);
        assertThat(breaker.state()).isEqualTo(BreakerState.HALF_OPEN);

        breaker.onSuccess(probe, FAST);
        assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(breaker.snapshot().bufferedCalls()).as("a fresh window").isZero();
    }

    @Test
    void ignoredFailuresCountAsNeitherAndAnIgnoredProbeRoundOpensTheBreakerAgain() {
        CircuitBreaker breaker = breaker(BreakerConfig.builder().windowSize(2).minimumCalls(2).halfOpenProbes(1)
                .ignoreExceptions(List.of(IllegalArgumentException.class)));

        assertThat(fail(breaker, new IllegalArgumentException())).isEqualTo(Outcome.IGNORED);
        assertThat(fail(breaker, new RuntimeException(new IllegalArgumentException()))).isEqualTo(Outcome.IGNORED);
        assertThat(breaker.snapshot().bufferedCalls()).isZero();

        fail(breaker, new IOException());
        fail(breaker, new IOException());
        time.advance(Duration.ofSeconds(30));
        fail(breaker, new IllegalArgumentException());
        assertThat(breaker.state()).as("no evidence: open again, not a new round").isEqualTo(BreakerState.OPEN);
        time.advance(Duration.ofSeconds(30));
        succeed(breaker, FAST);
        assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
    }

    @Test
    void withRecordExceptionsAFailureTheyDoNotListCountsAsASuccess() {
        CircuitBreaker breaker = breaker(BreakerConfig.builder().windowSize(2).minimumCalls(2).failureRateThreshold(60)
                .recordExceptions(List.of(IOException.class)));

        assertThat(fail(breaker, new IllegalStateException("404 Not Found"))).isEqualTo(Outcome.FAILURE);
        fail(breaker, new IOException());

        assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(breaker.snapshot().failedCalls()).isEqualTo(1);
        assertThat(breaker.snapshot().bufferedCalls()).isEqualTo(2);
    }

    @Test
    void forceOpenCloseAndResetChangeTheStateByHand() {
        CircuitBreaker breaker = breaker(BreakerConfig.builder().windowSize(5).minimumCalls(5));
        fail(breaker, new IOException());

        breaker.forceOpen();
        assertThat(breaker.state()).isEqualTo(BreakerState.FORCED_OPEN);
        time.advance(Duration.ofDays(1));
        assertThatThrownBy(breaker::acquirePermit).isInstanceOfSatisfying(BreakerOpenException.class,
                open -> assertThat(open.retryAfter()).as("a hint: the open duration").isEqualTo(Duration.ofSeconds(30)));

        breaker.close();
        assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(breaker.snapshot().bufferedCalls()).isZero();
        assertThat(breaker.snapshot().rejectedCalls()).isEqualTo(1);

        fail(breaker, new IOException());
        breaker.close();
        assertThat(breaker.snapshot().bufferedCalls()).as("closing a closed breaker changes nothing").isEqualTo(1);

        breaker.reset();
        assertThat(breaker.snapshot().bufferedCalls()).isZero();
        assertThat(breaker.snapshot().rejectedCalls()).isZero();
        assertThat(transitions).containsExactly("closed->forced_open", "forced_open->closed");
    }

    @Test
    void aThrowingListenerNeverBreaksTheBreaker() {
        CircuitBreaker breaker = breaker(BreakerConfig.builder().windowSize(1).minimumCalls(1));
        breaker.addListener((b, from, to, ago) -> {
            throw new IllegalStateException("listener bug");
        });

        fail(breaker, new IOException());

        assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
        assertThat(transitions).containsExactly("closed->open");
    }

    @Test
    void aBlankNameIsRefused() {
        assertThatThrownBy(() -> CircuitBreaker.of(" ", BreakerConfig.defaults()))
                .hasMessage("A breaker's name must not be blank, but was ' '");
    }
}
