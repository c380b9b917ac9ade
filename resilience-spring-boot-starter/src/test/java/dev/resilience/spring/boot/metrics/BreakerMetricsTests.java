package dev.resilience.spring.boot.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.BreakerConfig;
import dev.resilience.BreakerOpenException;
import dev.resilience.CircuitBreaker;
import dev.resilience.spring.boot.testsupport.StubBreakerRegistry;
import dev.resilience.test.ManualTimeSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BreakerMetricsTests {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ManualTimeSource time = new ManualTimeSource();
    private final CircuitBreaker payments = CircuitBreaker.of("payments", BreakerConfig.builder().windowSize(4)
            .minimumCalls(4).failureRateThreshold(50).openDuration(Duration.ofSeconds(30)).halfOpenProbes(1)
            .build(), time);
    private final CircuitBreaker stock = CircuitBreaker.of("stock", BreakerConfig.defaults(), time);
    private final BreakerMetrics binder = new BreakerMetrics(meters, new StubBreakerRegistry(payments, stock), time);

    @Test
    void startupRegistersTheMetersOfEveryBreakerOfTheRegistry() {
        // when
        binder.afterSingletonsInstantiated();

        // then
        assertThat(meters.find("resilience.breaker.state").gauges()).hasSize(8);
        assertThat(meters.find("resilience.breaker.failure.rate").tag("breaker", "stock").gauge()).isNotNull();
        assertThat(meters.find("resilience.breaker.open.remaining").tag("breaker", "payments").timeGauge())
                .isNotNull();
        assertThat(meters.getMeters()).allSatisfy(m -> assertThat(m.getId().getDescription()).isNotBlank());
    }

    @Test
    void theStateGaugeIsOneForTheCurrentStateAndZeroForTheOthers() {
        // given
        binder.afterSingletonsInstantiated();
        assertThat(scrape("payments")).containsExactly(1.0, 0.0, 0.0, 0.0);

        // when
        payments.forceOpen();

        // then: closed, open, half_open, forced_open
        assertThat(scrape("payments")).containsExactly(0.0, 0.0, 0.0, 1.0);
        assertThat(scrape("stock")).containsExactly(1.0, 0.0, 0.0, 0.0);
    }

    @Test
    void whatItShowsOneScrapeShowsExactlyOneStateAtOneWhenTheBreakerMovesDuringIt() {
        // given
        binder.afterSingletonsInstantiated();

        // when: the scrape reads closed, then the breaker opens, then the scrape reads the three others
        double closed = state("payments", "closed");
        payments.forceOpen();
        double others = state("payments", "open") + state("payments", "half_open") + state("payments", "forced_open");

        // then
        assertThat(closed + others).isEqualTo(1.0);
        assertThat(scrape("payments")).as("the next scrape").containsExactly(0.0, 0.0, 0.0, 1.0);
    }

    @Test
    void aSampleOfTheStateServesOtherSeriesForASecondAtMost() {
        // given
        binder.afterSingletonsInstantiated();
        assertThat(state("payments", "closed")).isEqualTo(1.0);
        payments.forceOpen();

        // when
        time.advance(Duration.ofMillis(StateSample.FRESH_MILLIS));

        // then
        assertThat(state("payments", "forced_open")).isEqualTo(1.0);
    }

    @Test
    void readinessTheStateGaugeShowsAnOpenBreakerPastItsOpenDurationAsHalfOpenWithoutACall() {
        // given
        binder.afterSingletonsInstantiated();
        for (int i = 0; i < 4; i++) {
            payments.onFailure(payments.acquirePermit(), 0, new IOException());
        }
        assertThat(scrape("payments")).containsExactly(0.0, 1.0, 0.0, 0.0);

        // when
        time.advance(Duration.ofSeconds(30));

        // then
        assertThat(scrape("payments")).containsExactly(0.0, 0.0, 1.0, 0.0);
        assertThat(transitions("payments", "open", "half_open")).isEqualTo(1);
    }

    /** One scrape of a breaker's state series, in the order closed, open, half_open, forced_open. */
    private double[] scrape(String breaker) {
        return new double[] {state(breaker, "closed"), state(breaker, "open"), state(breaker, "half_open"),
            state(breaker, "forced_open")};
    }

    @Test
    void everyTransitionIsCountedOnceUnderItsStates() {
        // given
        binder.afterSingletonsInstantiated();
        binder.bind(payments); // a second binding adds no second listener

        // when the breaker opens, probes once, and opens again
        failTimes(4);
        time.advance(Duration.ofSeconds(30));
        failTimes(1);

        // then
        assertThat(transitions("payments", "closed", "open")).isEqualTo(1);
        assertThat(transitions("payments", "open", "half_open")).isEqualTo(1);
        assertThat(transitions("payments", "half_open", "open")).isEqualTo(1);
        assertThat(transitions("payments", "half_open", "closed")).isZero();
    }

    @Test
    void transitionsByHandAreCountedToo() {
        // given
        binder.afterSingletonsInstantiated();

        // when
        payments.forceOpen();
        payments.reset();

        // then
        assertThat(transitions("payments", "closed", "forced_open")).isEqualTo(1);
        assertThat(transitions("payments", "forced_open", "closed")).isEqualTo(1);
    }

    @Test
    void theRatesAreNaNUntilTheWindowHoldsMinimumCallsThenExact() {
        // given
        binder.afterSingletonsInstantiated();

        // when 3 calls out of the 4 needed, one of them failed
        succeedTimes(2);
        failTimes(1);

        // then
        assertThat(gauge("resilience.breaker.failure.rate", "payments")).isNaN();
        assertThat(gauge("resilience.breaker.slow.call.rate", "payments")).isNaN();
        assertThat(gauge("resilience.breaker.buffered.calls", "payments")).isEqualTo(3);

        // when the fourth call succeeds
        succeedTimes(1);

        // then
        assertThat(gauge("resilience.breaker.failure.rate", "payments")).isEqualTo(25.0);
        assertThat(gauge("resilience.breaker.slow.call.rate", "payments")).isEqualTo(0.0);
        assertThat(gauge("resilience.breaker.buffered.calls", "payments")).isEqualTo(4);
    }

    @Test
    void anOpenBreakerShowsTheRateThatOpenedItTheTimeLeftAndItsRejections() {
        // given
        binder.afterSingletonsInstantiated();
        failTimes(4);

        // when
        time.advance(Duration.ofSeconds(10));
        for (int i = 0; i < 3; i++) {
            try {
                payments.acquirePermit();
            } catch (BreakerOpenException expected) {
                // counted by the breaker
            }
        }

        // then
        assertThat(state("payments", "open")).isEqualTo(1);
        assertThat(gauge("resilience.breaker.failure.rate", "payments")).isEqualTo(100.0);
        assertThat(gauge("resilience.breaker.rejected.calls", "payments")).isEqualTo(3);
        assertThat(meters.get("resilience.breaker.open.remaining").tag("breaker", "payments").timeGauge()
                .value(TimeUnit.SECONDS)).isEqualTo(20.0);
    }

    @Test
    void aMethodsBreakerGetsItsMetersWhenTheMethodIsFirstSeen() {
        // given no startup binding
        GuardMetrics guards = new GuardMetrics(meters, binder);

        // when
        guards.create(new dev.resilience.spring.GuardedMethod("PaymentClient.charge", "payments",
                Object.class.getMethods()[0], Object.class));

        // then
        assertThat(meters.find("resilience.breaker.state").tag("breaker", "payments").gauges()).hasSize(4);
        assertThat(meters.find("resilience.breaker.state").tag("breaker", "stock").gauges()).isEmpty();
    }

    private void failTimes(int n) {
        for (int i = 0; i < n; i++) {
            long permit = payments.acquirePermit();
            payments.onFailure(permit, 1_000, new IOException("refused"));
        }
    }

    private void succeedTimes(int n) {
        for (int i = 0; i < n; i++) {
            payments.onSuccess(payments.acquirePermit(), 1_000);
        }
    }

    private double state(String breaker, String state) {
        return meters.get("resilience.breaker.state").tags("breaker", breaker, "state", state).gauge().value();
    }

    private double transitions(String breaker, String from, String to) {
        return meters.get("resilience.breaker.transitions").tags("breaker", breaker, "from", from, "to", to)
                .counter().count();
    }

    private double gauge(String name, String breaker) {
        return meters.get(name).tag("breaker", breaker).gauge().value();
    }
}
