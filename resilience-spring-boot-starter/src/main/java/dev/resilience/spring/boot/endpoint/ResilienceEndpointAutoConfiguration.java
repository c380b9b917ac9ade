package dev.resilience.spring.boot.endpoint;

import dev.resilience.spring.BreakerRegistry;
import dev.resilience.spring.RetryBudgets;
import dev.resilience.spring.boot.autoconfigure.ResilienceAutoConfiguration;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code breakers} actuator endpoint, active when Spring Boot Actuator is on the classpath and the endpoint is
 * available (its access is not {@code none} and it is exposed, e.g.
 * {@code management.endpoints.web.exposure.include=breakers}). Transitions are dated with the application's
 * {@link Clock} bean if it has one, else the system's UTC clock.
 *
 * @see BreakersEndpoint
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(BreakerRegistry.class)
@ConditionalOnAvailableEndpoint(BreakersEndpoint.class)
public final class ResilienceEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    TransitionLog resilienceTransitionLog(BreakerRegistry breakerRegistry, ObjectProvider<Clock> clock) {
        return new TransitionLog(breakerRegistry, clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    @ConditionalOnMissingBean
    BreakersEndpoint breakersEndpoint(BreakerRegistry breakerRegistry, TransitionLog transitionLog,
            ObjectProvider<RetryBudgets> budgets) {
        return new BreakersEndpoint(breakerRegistry, transitionLog, budgets.getIfAvailable());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(BreakersEndpoint.class)
    @ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
    BreakersEndpointWebExtension breakersEndpointWebExtension(BreakersEndpoint endpoint) {
        return new BreakersEndpointWebExtension(endpoint);
    }
}
