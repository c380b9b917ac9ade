package dev.resilience.spring.boot.observation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.spring.BreakerRegistry;
import dev.resilience.spring.aop.MethodGuards;
import dev.resilience.spring.aop.ResilienceAdvisor;
import dev.resilience.spring.boot.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.boot.testsupport.StubBreakerRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.aop.Advisor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The observation of a guarded call is opened just outside the retry and the breaker, wherever the guard is. */
class ObservationAdvisorOrderTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                    ResilienceObservationAutoConfiguration.class))
            .withBean(BreakerRegistry.class, StubBreakerRegistry::new)
            .withBean(ObservationRegistry.class, ObservationRegistry::create);

    @Test
    void theObservationAdvisorIsOrderedJustOutsideTheGuards() {
        runner.run(context -> assertThat(context.getBean("resilienceObservationAdvisor", Advisor.class))
                .isInstanceOf(Ordered.class)
                .extracting(advisor -> ((Ordered) advisor).getOrder())
                .isEqualTo(Ordered.LOWEST_PRECEDENCE - 1001));
    }

    @Test
    void theObservationAdvisorFollowsTheGuardsOrderWhenTheUserChangesIt() {
        runner.withUserConfiguration(EarlyGuard.class).run(context -> {
            Ordered observation = (Ordered) context.getBean("resilienceObservationAdvisor", Advisor.class);

            assertThat(context.getBean(ResilienceAdvisor.class).getOrder()).isEqualTo(500);
            assertThat(observation.getOrder()).isEqualTo(499);

            context.getBean(ResilienceAdvisor.class).setOrder(900);
            assertThat(observation.getOrder()).isEqualTo(899);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class EarlyGuard {

        @Bean
        static ResilienceAdvisor resilienceAdvisor(ObjectProvider<MethodGuards> guards) {
            ResilienceAdvisor advisor = new ResilienceAdvisor(guards::getObject);
            advisor.setOrder(500);
            return advisor;
        }
    }
}
