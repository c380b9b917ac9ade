package dev.resilience.spring.boot.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.TimeSource;
import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import dev.resilience.spring.boot.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.test.ManualTimeSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** A {@code Mono} method records the contract's meters as any other method does, when its subscription ends. */
class ReactiveMetricsTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                    ResilienceMetricsAutoConfiguration.class))
            .withPropertyValues("resilience.breaker.require-declared=false", "resilience.retry.defaults.jitter=0")
            .withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
            .withBean(TimeSource.class, ManualTimeSource::new)
            .withBean(ShippingClient.class);

    @Test
    void aRetriedMonoRecordsItsAttemptsAndOneRetriedOperation() {
        runner.run(context -> {
            // given
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            ManualTimeSource time = (ManualTimeSource) context.getBean(TimeSource.class);
            ShippingClient client = context.getBean(ShippingClient.class);

            // when
            Mono<String> parcel = client.track();

            // then nothing is recorded until the subscription
            assertThat(meters.find("resilience.operations").timers()).allSatisfy(timer ->
                    assertThat(timer.count()).isZero());

            // when
            StepVerifier.create(parcel).then(() -> time.advance(Duration.ofSeconds(1))).expectNext("shipped")
                    .verifyComplete();

            // then
            assertThat(meters.get("resilience.operations").tags("method", "ShippingClient.track", "breaker",
                    "shipping", "outcome", "success", "retried", "true").timer().count()).isEqualTo(1);
            assertThat(meters.get("resilience.attempts").tags("method", "ShippingClient.track", "outcome",
                    "failure").timer().count()).isEqualTo(2);
            assertThat(meters.get("resilience.attempts").tags("method", "ShippingClient.track", "outcome",
                    "success").timer().count()).isEqualTo(1);
        });
    }

    @Breaker("shipping")
    public static class ShippingClient {

        private final AtomicInteger failures = new AtomicInteger(2);

        @Retry(maxAttempts = 3, idempotent = true)
        public Mono<String> track() {
            return Mono.defer(() -> failures.getAndDecrement() > 0 ? Mono.error(new IOException("down"))
                    : Mono.just("shipped"));
        }
    }
}
