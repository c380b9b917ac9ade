package dev.resilience.spring.boot.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.resilience.BreakerConfig;
import dev.resilience.CircuitBreaker;
import dev.resilience.spring.boot.endpoint.BreakersEndpoint.BreakerDescriptor;
import dev.resilience.spring.boot.endpoint.BreakersEndpoint.SettingsDescriptor;
import dev.resilience.spring.boot.endpoint.BreakersEndpoint.State;
import dev.resilience.spring.boot.endpoint.TransitionLog.Transition;
import dev.resilience.spring.boot.testsupport.StubBreakerRegistry;
import dev.resilience.test.ManualTimeSource;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

class BreakersEndpointTests {

    private static final Instant T0 = Instant.parse("2026-11-22T07:00:00Z");

    private final ManualTimeSource time = new ManualTimeSource();
    private final MutableClock clock = new MutableClock(T0);
    private final CircuitBreaker payments = CircuitBreaker.of("payments", BreakerConfig.builder().windowSize(2)
            .minimumCalls(2).failureRateThreshold(50).openDuration(Duration.ofSeconds(30))
            .ignoreExceptions(List.of(IllegalStateException.class)).build(), time);
    private final CircuitBreaker stock = CircuitBreaker.of("stock", BreakerConfig.defaults(), time);
    private final StubBreakerRegistry registry = new StubBreakerRegistry(stock, payments);
    private final TransitionLog log = new TransitionLog(registry, clock);
    private final BreakersEndpoint endpoint = new BreakersEndpoint(registry, log);
    private final BreakersEndpointWebExtension web = new BreakersEndpointWebExtension(endpoint);

    BreakersEndpointTests() {
        log.afterSingletonsInstantiated();
    }

    @Test
    void listsEveryBreakerByName() {
        assertThat(endpoint.breakers().breakers()).extracting(BreakerDescriptor::name)
                .containsExactly("payments", "stock");
    }

    @Test
    void showsOneBreakerWithItsEffectiveConfigAndCounts() {
        // given
        trip(payments);
        time.advance(Duration.ofSeconds(5));

        // when
        BreakerDescriptor descriptor = endpoint.breaker("payments");

        // then
        assertThat(descriptor.state()).isEqualTo(State.OPEN).hasToString("open");
        assertThat(descriptor.failureRate()).isEqualTo(100.0);
        assertThat(descriptor.bufferedCalls()).isEqualTo(2);
        assertThat(descriptor.failedCalls()).isEqualTo(2);
        assertThat(descriptor.minimumCalls()).isEqualTo(2);
        assertThat(descriptor.remainingOpen()).isEqualTo("PT25S");
        assertThat(descriptor.config()).isEqualTo(new SettingsDescriptor("count", 2, "PT1M", 2, 50.0, "PT1M", 100.0,
                "PT30S", 5, "PT1M", List.of(), List.of("java.lang.IllegalStateException"), false));
    }

    @Test
    void anUnknownNameIsNotFoundAndCreatesNothing() {
        assertThat(endpoint.breaker("paymnets")).isNull();
        assertThat(endpoint.changeState("paymnets", "forced_open")).isNull();
        WebEndpointResponse<BreakerDescriptor> response = web.changeState("paymnets", "forced_open");
        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(response.getBody()).isNull();
        assertThat(registry.find("paymnets")).isEmpty();
        assertThat(endpoint.breakers().breakers()).hasSize(2);
    }

    @Test
    void forcesOpenClosesAndResets() {
        // when
        WebEndpointResponse<BreakerDescriptor> forced = web.changeState("payments", "forced_open");

        // then
        assertThat(forced.getStatus()).isEqualTo(200);
        assertThat(forced.getBody().state()).isEqualTo(State.FORCED_OPEN);
        assertThat(payments.state().tag()).isEqualTo("forced_open");

        // when
        assertThat(endpoint.changeState("payments", "closed").state()).isEqualTo(State.CLOSED);

        // then
        assertThat(payments.state().tag()).isEqualTo("closed");
    }

    @Test
    void resetEmptiesTheWindowAndTheRejectedCalls() {
        // given
        trip(payments);
        try {
            payments.acquirePermit();
        } catch (RuntimeException rejected) {
            // counted
        }
        assertThat(endpoint.breaker("payments").rejectedCalls()).isEqualTo(1);

        // when
        BreakerDescriptor after = endpoint.changeState("payments", "reset");

        // then
        assertThat(after.state()).isEqualTo(State.CLOSED);
        assertThat(after.bufferedCalls()).isZero();
        assertThat(after.rejectedCalls()).isZero();
    }

    @Test
    void anotherStateIsABadRequestThatNamesTheBreakerTheValueAndWhatIsAllowed() {
        assertThatExceptionOfType(InvalidEndpointRequestException.class)
                .isThrownBy(() -> endpoint.changeState("payments", "open"))
                .withMessage("'state' for breaker 'payments' must be forced_open, closed or reset, but was 'open'")
                .satisfies(ex -> assertThat(ex.getReason()).isEqualTo(ex.getMessage()));
        assertThat(payments.state().tag()).isEqualTo("closed");
    }

    @Test
    void recentTransitionsAreListedOldestFirstWithTheirTimes() {
        // when
        trip(payments);
        clock.set(T0.plusSeconds(30));
        time.advance(Duration.ofSeconds(30));
        payments.onSuccess(payments.acquirePermit(), 1_000);
        clock.set(T0.plusSeconds(45));
        payments.forceOpen();

        // then
        assertThat(endpoint.breaker("payments").transitions()).containsExactly(
                new Transition("closed", "open", T0),
                new Transition("open", "half_open", T0.plusSeconds(30)),
                new Transition("half_open", "forced_open", T0.plusSeconds(45)));
        assertThat(endpoint.breaker("stock").transitions()).isEmpty();
    }

    @Test
    void onlyTheLastTwentyTransitionsAreKept() {
        // when 30 transitions
        for (int i = 0; i < 15; i++) {
            clock.set(T0.plusSeconds(i));
            stock.forceOpen();
            stock.close();
        }

        // then
        List<Transition> transitions = endpoint.breaker("stock").transitions();
        assertThat(transitions).hasSize(TransitionLog.CAPACITY);
        assertThat(transitions.get(0)).isEqualTo(new Transition("closed", "forced_open", T0.plusSeconds(5)));
        assertThat(transitions.get(19)).isEqualTo(new Transition("forced_open", "closed", T0.plusSeconds(14)));
    }

    @Test
    void aBreakerUnknownAtStartupIsListenedToFromItsFirstLookUp() {
        // given a log that never saw startup
        TransitionLog lateLog = new TransitionLog(registry, clock);
        assertThat(lateLog.recent(payments)).isEmpty();

        // when
        payments.forceOpen();

        // then
        assertThat(lateLog.recent(payments)).containsExactly(new Transition("closed", "forced_open", T0));
    }

    private static void trip(CircuitBreaker breaker) {
        for (int i = 0; i < 2; i++) {
            breaker.onFailure(breaker.acquirePermit(), 1_000, new IOException("refused"));
        }
    }

    private static final class MutableClock extends Clock {

        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
