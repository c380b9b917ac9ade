package dev.resilience.spring.boot.observation;

import dev.resilience.spring.GuardedMethods;
import dev.resilience.spring.aop.ResilienceAdvisor;
import dev.resilience.spring.boot.autoconfigure.ResilienceAutoConfiguration;
import io.micrometer.observation.ObservationRegistry;
import java.util.function.Supplier;
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
 * One {@code resilience.guarded.call} observation per call of a guarded method, with an event per retry, active when
 * Micrometer Observation is on the classpath and the application has an {@link ObservationRegistry} (Spring Boot's
 * observation auto-configuration provides one). A tracing bridge turns each into a span that holds the attempts. A
 * {@link ResilienceObservationConvention} bean names and tags it instead of
 * {@link DefaultResilienceObservationConvention}; what the default writes is in
 * {@link ResilienceObservationDocumentation}.
 *
 * <p>The observation is opened by an advisor of its own, ordered just outside the starter's
 * {@link ResilienceAdvisor} (its order minus 1, read each time it is asked, so that changing the guard's order moves
 * both): it wraps the retry, the breaker and the transactions inside them, and a call that method security refuses
 * outside them is not observed. The retry events come from a
 * {@link dev.resilience.spring.GuardListenerFactory}. The advisor matches with the starter's own pointcut, and
 * names each method through the starter's {@link GuardedMethods}: one rule decides what is guarded and how it is
 * named.
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean({ ObservationRegistry.class, ResilienceAdvisor.class, GuardedMethods.class })
public final class ResilienceObservationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ObservationGuardListeners resilienceObservationGuardListeners(ObjectProvider<ObservationRegistry> registry) {
        return new ObservationGuardListeners(SingletonSupplier.of(registry::getObject));
    }

    /**
     * How each call's observation is made; the application's {@link ResilienceObservationConvention} is looked up
     * here, at startup, so that two of them fail it rather than the first call.
     */
    @Bean
    OperationObservations resilienceOperationObservations(ObjectProvider<ObservationRegistry> registry,
            ObjectProvider<ResilienceObservationConvention> convention) {
        return new OperationObservations(SingletonSupplier.of(registry::getObject), convention.getIfAvailable());
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor resilienceObservationAdvisor(ResilienceAdvisor resilienceAdvisor,
            ObjectProvider<OperationObservations> observations, ObjectProvider<GuardedMethods> guardedMethods) {
        return observationAdvisor(resilienceAdvisor, SingletonSupplier.of(observations::getObject),
                SingletonSupplier.of(guardedMethods::getObject));
    }

    /**
     * The advisor that opens the observation, on the methods that the starter's pointcut matches, ordered just
     * outside the starter's advisor.
     */
    static Advisor observationAdvisor(ResilienceAdvisor guard, Supplier<OperationObservations> observations,
            Supplier<GuardedMethods> guardedMethods) {
        return new ObservationAdvisor(guard, new OperationObservationInterceptor(observations, guardedMethods));
    }

    /** Matches with the guard's pointcut, and takes the guard's order minus 1 whenever it is asked. */
    private static final class ObservationAdvisor extends DefaultPointcutAdvisor {

        private static final long serialVersionUID = 1L;

        private final transient ResilienceAdvisor guard;

        ObservationAdvisor(ResilienceAdvisor guard, OperationObservationInterceptor interceptor) {
            super(guard.getPointcut(), interceptor);
            this.guard = guard;
        }

        @Override
        public int getOrder() {
            int order = guard.getOrder();
            return order == Ordered.HIGHEST_PRECEDENCE ? order : order - 1;
        }
    }
}
