package dev.resilience.spring.boot.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ObservationMeterDescriptionsTests {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    ObservationMeterDescriptionsTests() {
        meters.config().meterFilter(new ObservationMeterDescriptions());
    }

    @Test
    void theObservationsMetersGetADescriptionAndKeepTheirTags() {
        // when the default observation handler registers its meters, without description
        Timer.builder("resilience.guarded.call").tags("method", "PaymentClient.charge", "outcome", "failure")
                .register(meters);
        Counter.builder("resilience.guarded.call.retry").register(meters);

        // then
        Timer timer = meters.get("resilience.guarded.call").tag("outcome", "failure").timer();
        assertThat(timer.getId().getDescription())
                .startsWith("Calls of a guarded method as its caller sees them, from their observation");
        assertThat(timer.getId().getTag("method")).isEqualTo("PaymentClient.charge");
        assertThat(meters.get("resilience.guarded.call.retry").counter().getId().getDescription())
                .startsWith("Retries of a guarded method");
    }

    @Test
    void otherMetersAndGivenDescriptionsAreLeftAlone() {
        // when
        Counter.builder("http.server.requests").register(meters);
        Counter.builder("resilience.guarded.call.retry").description("mine").register(meters);

        // then
        assertThat(meters.get("http.server.requests").counter().getId().getDescription()).isNull();
        assertThat(meters.get("resilience.guarded.call.retry").counter().getId().getDescription()).isEqualTo("mine");
    }
}
