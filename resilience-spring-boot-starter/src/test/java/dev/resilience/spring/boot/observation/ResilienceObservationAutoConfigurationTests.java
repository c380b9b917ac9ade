package dev.resilience.spring.boot.observation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.spring.BreakerRegistry;
import dev.resilience.spring.GuardListenerFactory;
import dev.resilience.spring.aop.ResilienceAdvisor;
import dev.resilience.spring.boot.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.boot.testsupport.StubBreakerRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.aop.Advisor;
import org.springframework.aop.PointcutAdvisor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ResilienceObservationAutoConfigurationTests {

    private static final String ADVISOR = "resilienceObservationAdvisor";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                    ResilienceObservationAutoConfiguration.class))
            .withBean(BreakerRegistry.class, StubBreakerRegistry::new);

    @Test
    void providesTheAdvisorAndTheListenerFactory() {
        runner.withBean(ObservationRegistry.class, ObservationRegistry::create).run(context -> {
            assertThat(context).hasSingleBean(ObservationGuardListeners.class).hasBean(ADVISOR);
            assertThat(context).getBeans(GuardListenerFactory.class).hasSize(1);
        });
    }

    @Test
    void theAdvisorMatchesWithTheStartersPointcut() {
        runner.withBean(ObservationRegistry.class, ObservationRegistry::create).run(context -> {
            Advisor observation = context.getBean(ADVISOR, Advisor.class);
            ResilienceAdvisor starter = context.getBean(ResilienceAdvisor.class);
            assertThat(((PointcutAdvisor) observation).getPointcut()).isSameAs(starter.getPointcut());
        });
    }

    @Test
    void backsOffWithoutAnObservationRegistry() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ObservationGuardListeners.class)
                .doesNotHaveBean(ADVISOR));
    }

    @Test
    void backsOffWithoutTheStarter() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ResilienceObservationAutoConfiguration.class))
                .withBean(ObservationRegistry.class, ObservationRegistry::create)
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(ObservationGuardListeners.class).doesNotHaveBean(ADVISOR));
    }

    @Test
    void backsOffWithoutMicrometerObservation() {
        runner.withBean("observationRegistry", Object.class, Object::new)
                .withClassLoader(new FilteredClassLoader(ObservationRegistry.class))
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(ObservationGuardListeners.class).doesNotHaveBean(ADVISOR));
    }
}
