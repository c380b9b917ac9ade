package dev.resilience.spring.boot.observation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.TimeSource;
import dev.resilience.annotation.Retry;
import dev.resilience.spring.boot.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.test.ManualTimeSource;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The observation advisor together with the starter's own, as Spring Boot assembles them. */
class ObservedThroughTheStarterTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class,
                    ObservationAutoConfiguration.class, ResilienceObservationAutoConfiguration.class))
            .withBean(TimeSource.class, ManualTimeSource::new)
            .withBean(Stopped.class)
            .withBean(MailClient.class);

    @Test
    void theObservationWrapsTheStartersRetry() {
        runner.run(context -> {
            // when
            assertThatThrownBy(context.getBean(MailClient.class)::send).isInstanceOf(IOException.class);

            // then one observation for the three attempts, with two retry events
            Stopped stopped = context.getBean(Stopped.class);
            assertThat(stopped.contexts).hasSize(1);
            Observation.Context operation = stopped.contexts.get(0);
            assertThat(operation.getLowCardinalityKeyValue("method").getValue()).isEqualTo("MailClient.send");
            assertThat(operation.getLowCardinalityKeyValue("breaker").getValue()).isEqualTo("none");
            assertThat(operation.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("failure");
            assertThat(operation.getHighCardinalityKeyValue("attempts").getValue()).isEqualTo("3");
            assertThat(stopped.events).hasSize(2);
        });
    }

    @Test
    void canBeSwitchedOffWithSpringBootsObservationProperty() {
        runner.withPropertyValues("management.observations.enable.resilience=false").run(context -> {
            // when
            assertThatThrownBy(context.getBean(MailClient.class)::send).isInstanceOf(IOException.class);

            // then
            assertThat(context.getBean(Stopped.class).contexts).isEmpty();
        });
    }

    /** Records the operations observed. */
    static class Stopped implements ObservationHandler<Observation.Context> {

        final List<Observation.Context> contexts = new CopyOnWriteArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(Observation.Event event, Observation.Context context) {
            events.add(event.getContextualName());
        }

        @Override
        public void onStop(Observation.Context context) {
            contexts.add(context);
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return context instanceof OperationContext;
        }
    }

    /** Always fails. */
    static class MailClient {

        @Retry(maxAttempts = 3, idempotent = true)
        public void send() throws IOException {
            throw new IOException("connection refused");
        }
    }
}
