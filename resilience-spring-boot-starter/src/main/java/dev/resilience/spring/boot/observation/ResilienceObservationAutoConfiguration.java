package dev.resilience.spring.boot.observation;

import dev.resilience.spring.BreakerRegistry;
import dev.resilience.spring.boot.autoconfigure.ResilienceAutoConfiguration;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.util.function.SingletonSupplier;

/**
 * One {@code resilience.operation} observation per call of a guarded method, with an event per retry, active when
 * Micrometer Observation is on the classpath and the application has an {@link ObservationRegistry} (Spring Boot's
 * observation auto-configuration provides one). A tracing bridge turns each into a span that holds the attempts.
 *
 * <p>The observation is opened by an advisor of its own, ordered first ({@link Ordered#HIGHEST_PRECEDENCE}) so
 * that it wraps the retry, the breaker and any transaction; the retry events come from a
 * {@link dev.resilience.spring.GuardListenerFactory}.
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean({ ObservationRegistry.class, BreakerRegistry.class })
public final class ResilienceObservationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ObservationGuardListeners resilienceObservationGuardListeners(ObjectProvider<ObservationRegistry> registry) {
        return new ObservationGuardListeners(SingletonSupplier.of(registry::getObject));
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor resilienceObservationAdvisor(ObjectProvider<ObservationRegistry> registry) {
        DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(new GuardedMethodPointcut(),
                new OperationObservationInterceptor(SingletonSupplier.of(registry::getObject)));
        advisor.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return advisor;
    }
}
