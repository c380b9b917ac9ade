package dev.resilience.spring.boot.health;

import dev.resilience.spring.BreakerRegistry;
import dev.resilience.spring.RetryBudgets;
import dev.resilience.spring.boot.autoconfigure.ResilienceAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * The {@code breakers} health component, active when Spring Boot's health support is on the classpath, unless
 * {@code management.health.breakers.enabled=false}. A bean named {@code breakersHealthContributor} replaces it.
 *
 * @see BreakersHealthContributor
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class)
@ConditionalOnClass(HealthContributor.class)
@ConditionalOnBean(BreakerRegistry.class)
@ConditionalOnEnabledHealthIndicator("breakers")
public final class ResilienceHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "breakersHealthContributor")
    BreakersHealthContributor breakersHealthContributor(BreakerRegistry breakerRegistry,
            ObjectProvider<RetryBudgets> budgets) {
        return new BreakersHealthContributor(breakerRegistry, budgets.getIfAvailable());
    }
}
