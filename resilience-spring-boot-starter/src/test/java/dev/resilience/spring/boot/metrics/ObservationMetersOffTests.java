package dev.resilience.spring.boot.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** Each call is timed once unless Spring Boot's {@code management.metrics.enable} names the observation's meters. */
class ObservationMetersOffTests {

    @Test
    void byDefaultNoMeterIsDerivedFromTheObservationAndTheContractsMetersStay() {
        SimpleMeterRegistry meters = registryWith(Set.of());

        register(meters);

        assertThat(meters.find("resilience.guarded.call").meters()).isEmpty();
        assertThat(meters.find("resilience.guarded.call.active").meters()).isEmpty();
        assertThat(meters.find("resilience.guarded.call.retry").meters()).isEmpty();
        assertThat(meters.find("resilience.operations").timer()).isNotNull();
        assertThat(meters.find("resilience.guarded.callback").counter()).as("only the observation's names")
                .isNotNull();
    }

    @Test
    void theObservationsNameAsAKeyBringsBackEveryMeterDerivedFromIt() {
        SimpleMeterRegistry meters = registryWith(Set.of("resilience.guarded.call"));

        register(meters);

        assertThat(meters.find("resilience.guarded.call").timer()).isNotNull();
        assertThat(meters.find("resilience.guarded.call.active").longTaskTimer()).isNotNull();
        assertThat(meters.find("resilience.guarded.call.retry").counter()).isNotNull();
    }

    @Test
    void aKeyNamingOneDerivedMeterBringsBackThatOneOnly() {
        SimpleMeterRegistry meters = registryWith(Set.of("resilience.guarded.call.retry"));

        register(meters);

        assertThat(meters.find("resilience.guarded.call.retry").counter()).isNotNull();
        assertThat(meters.find("resilience.guarded.call").meters()).isEmpty();
    }

    @Test
    void aKeyForEveryResilienceMeterDoesNotBringBackTheObservationsOwn() {
        SimpleMeterRegistry meters = registryWith(Set.of("resilience", "all"));

        register(meters);

        assertThat(meters.find("resilience.guarded.call").meters()).isEmpty();
    }

    @Test
    void theKeysAreReadFromSpringBootsProperty() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("management.metrics.enable.resilience.guarded.call", "false");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        meters.config().meterFilter(ObservationMetersOff.of(environment));

        register(meters);

        assertThat(meters.find("resilience.guarded.call").timer()).as("Boot's own filter decides then").isNotNull();
    }

    private static SimpleMeterRegistry registryWith(Set<String> keys) {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        meters.config().meterFilter(new ObservationMetersOff(keys));
        return meters;
    }

    private static void register(SimpleMeterRegistry meters) {
        Timer.builder("resilience.guarded.call").tag("method", "PaymentClient.charge").register(meters);
        LongTaskTimer.builder("resilience.guarded.call.active").register(meters);
        Counter.builder("resilience.guarded.call.retry").register(meters);
        Counter.builder("resilience.guarded.callback").register(meters);
        Timer.builder("resilience.operations").register(meters);
    }
}
