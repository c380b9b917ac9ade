package dev.resilience.spring.boot.observation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.TimeSource;
import dev.resilience.annotation.Retry;
import dev.resilience.spring.boot.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.test.ManualTimeSource;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.GlobalObservationConvention;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationRegistryCustomizer;
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

    @Test
    void aConventionBeanNamesAndTagsTheObservationInsteadOfTheDefault() {
        runner.withBean(ResilienceObservationConvention.class, TenantConvention::new).run(context -> {
            // when
            assertThatThrownBy(context.getBean(MailClient.class)::send).isInstanceOf(IOException.class);

            // then the convention's name and keys, and the default's for what it does not override
            Observation.Context operation = context.getBean(Stopped.class).contexts.get(0);
            assertThat(operation.getName()).isEqualTo("mail.sent");
            assertThat(operation.getContextualName()).isEqualTo("MailClient.send");
            assertThat(operation.getLowCardinalityKeyValues()).extracting(KeyValue::getKey)
                    .containsExactlyInAnyOrder("method", "breaker", "outcome", "tenant");
            assertThat(operation.getLowCardinalityKeyValue("tenant").getValue()).isEqualTo("acme");
            assertThat(operation.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("failure");
        });
    }

    @Test
    void aGlobalConventionOfTheRegistryAppliesWhenNoBeanReplacesTheDefault() {
        runner.withBean(ObservationRegistryCustomizer.class, () -> registry -> registry.observationConfig()
                .observationConvention(new GlobalTenantConvention())).run(context -> {
                    // when
                    assertThatThrownBy(context.getBean(MailClient.class)::send).isInstanceOf(IOException.class);

                    // then
                    Observation.Context operation = context.getBean(Stopped.class).contexts.get(0);
                    assertThat(operation.getName()).isEqualTo("mail.global");
                    assertThat(operation.getLowCardinalityKeyValue("tenant").getValue()).isEqualTo("global");
                });
    }

    @Test
    void twoConventionBeansFailStartupNotTheFirstCall() {
        runner.withBean("one", ResilienceObservationConvention.class, TenantConvention::new)
                .withBean("two", ResilienceObservationConvention.class, TenantConvention::new)
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasRootCauseInstanceOf(NoUniqueBeanDefinitionException.class)
                        .rootCause().hasMessageContaining("ResilienceObservationConvention"));
    }

    @Test
    void theDocumentationNamesWhatTheDefaultConventionWrites() {
        runner.run(context -> {
            // when
            assertThatThrownBy(context.getBean(MailClient.class)::send).isInstanceOf(IOException.class);

            // then every key and event the observation has is documented, and every documented one is there
            Stopped stopped = context.getBean(Stopped.class);
            Observation.Context operation = stopped.contexts.get(0);
            ResilienceObservationDocumentation documented = ResilienceObservationDocumentation.GUARDED_CALL;
            assertThat(operation.getName()).isEqualTo(documented.getName());
            assertThat(operation.getLowCardinalityKeyValues()).extracting(KeyValue::getKey)
                    .containsExactlyInAnyOrderElementsOf(names(documented.getLowCardinalityKeyNames()));
            assertThat(operation.getHighCardinalityKeyValues()).extracting(KeyValue::getKey)
                    .containsExactlyInAnyOrderElementsOf(names(documented.getHighCardinalityKeyNames()));
            assertThat(stopped.eventNames).containsOnly(ResilienceObservationDocumentation.Events.RETRY.getName());
            assertThat(Arrays.stream(documented.getEvents()).map(Observation.Event::getName))
                    .containsExactly("retry", "fallback");
            assertThat(documented.getDefaultConvention()).isEqualTo(DefaultResilienceObservationConvention.class);
        });
    }

    private static List<String> names(KeyName[] keys) {
        return Arrays.stream(keys).map(KeyName::asString).toList();
    }

    /** The default convention, renamed, with a key of the application's. */
    static class TenantConvention extends DefaultResilienceObservationConvention {

        @Override
        public String getName() {
            return "mail.sent";
        }

        @Override
        public KeyValues getLowCardinalityKeyValues(OperationContext context) {
            return super.getLowCardinalityKeyValues(context).and("tenant", "acme");
        }
    }

    /** A convention registered with the observation registry rather than declared as a bean. */
    static class GlobalTenantConvention extends DefaultResilienceObservationConvention
            implements GlobalObservationConvention<OperationContext> {

        @Override
        public String getName() {
            return "mail.global";
        }

        @Override
        public KeyValues getLowCardinalityKeyValues(OperationContext context) {
            return super.getLowCardinalityKeyValues(context).and("tenant", "global");
        }
    }

    /** Records the operations observed. */
    static class Stopped implements ObservationHandler<Observation.Context> {

        final List<Observation.Context> contexts = new CopyOnWriteArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<String> eventNames = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(Observation.Event event, Observation.Context context) {
            events.add(event.getContextualName());
            eventNames.add(event.getName());
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
