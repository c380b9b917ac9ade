package dev.resilience.spring.boot.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.BreakerConfig;
import dev.resilience.CircuitBreaker;
import dev.resilience.spring.boot.testsupport.StubBreakerRegistry;
import dev.resilience.test.ManualTimeSource;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

class BreakersHealthContributorTests {

    private final ManualTimeSource time = new ManualTimeSource();
    private final BreakerConfig tripsAfterTwo = BreakerConfig.builder().windowSize(2).minimumCalls(2)
            .failureRateThreshold(50).openDuration(Duration.ofSeconds(30)).build();
    private final CircuitBreaker payments = CircuitBreaker.of("payments", tripsAfterTwo, time);
    private final CircuitBreaker stock = CircuitBreaker.of("stock",
            tripsAfterTwo.toBuilder().outOfServiceWhenOpen(true).build(), time);
    private final BreakersHealthContributor contributor =
            new BreakersHealthContributor(new StubBreakerRegistry(payments, stock));

    @Test
    void listsOneComponentPerBreaker() {
        assertThat(contributor.stream().map(HealthContributors.Entry::name)).containsExactly("payments", "stock");
        assertThat(contributor.getContributor("payments")).isInstanceOf(HealthIndicator.class);
        assertThat(contributor.getContributor("unknown")).isNull();
    }

    @Test
    void anOpenBreakerStaysUpByDefault() {
        // when
        trip(payments);

        // then
        assertThat(health("payments").getStatus()).isEqualTo(Status.UP);
        assertThat(health("payments").getDetails()).containsEntry("state", "open");
    }

    @Test
    void anOpenBreakerThatOptedInIsOutOfService() {
        // when
        trip(stock);

        // then
        assertThat(health("stock").getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
    }

    @Test
    void readinessAnOpenBreakerThatOptedInIsUpAgainOnceItsOpenDurationHasPassedWithoutAnyCall() {
        // given: the pod left the load balancer, so no call arrives
        trip(stock);
        assertThat(health("stock").getStatus()).isEqualTo(Status.OUT_OF_SERVICE);

        // when
        time.advance(Duration.ofSeconds(30));

        // then
        assertThat(health("stock").getStatus()).isEqualTo(Status.UP);
        assertThat(health("stock").getDetails()).containsEntry("state", "half_open");
    }

    @Test
    void aForcedOpenBreakerThatOptedInIsOutOfServiceAndUpAgainOnceClosed() {
        // when
        stock.forceOpen();

        // then
        assertThat(health("stock").getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(health("stock").getDetails()).containsEntry("state", "forced_open");

        // when
        stock.close();

        // then
        assertThat(health("stock").getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void aHalfOpenBreakerThatOptedInIsUp() {
        // given
        trip(stock);
        time.advance(Duration.ofSeconds(30));

        // when the first probe is admitted
        stock.acquirePermit();

        // then
        assertThat(health("stock").getStatus()).isEqualTo(Status.UP);
        assertThat(health("stock").getDetails()).containsEntry("state", "half_open");
    }

    @Test
    void detailsShowTheRatesTheCallsAndTheTimeLeftOpen() {
        // given
        trip(payments);
        time.advance(Duration.ofMillis(12_500));

        // when
        Map<String, Object> details = health("payments").getDetails();

        // then
        assertThat(details).containsExactly(Map.entry("state", "open"), Map.entry("failureRate", 100.0),
                Map.entry("slowCallRate", 0.0), Map.entry("bufferedCalls", 2L), Map.entry("minimumCalls", 2),
                Map.entry("rejectedCalls", 0L), Map.entry("remainingOpen", "PT17.5S"));
    }

    @Test
    void aClosedBreakerWithNoCallIsUpWithZeroRates() {
        assertThat(health("payments").getStatus()).isEqualTo(Status.UP);
        assertThat(health("payments").getDetails()).containsEntry("state", "closed")
                .containsEntry("failureRate", 0.0).containsEntry("bufferedCalls", 0L)
                .containsEntry("remainingOpen", "PT0S");
    }

    private Health health(String name) {
        return ((HealthIndicator) contributor.getContributor(name)).health();
    }

    private static void trip(CircuitBreaker breaker) {
        for (int i = 0; i < 2; i++) {
            breaker.onFailure(breaker.acquirePermit(), 1_000, new IOException("refused"));
        }
    }
}
