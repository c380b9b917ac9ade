package dev.resilience.spring.boot.metrics;

import dev.resilience.TimeSource;
import dev.resilience.spring.BreakerRegistry;
import dev.resilience.spring.RetryBudgets;
import dev.resilience.spring.boot.autoconfigure.ResilienceAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Micrometer metrics of guarded methods and breakers, active when Micrometer is on the classpath and the
 * application has a {@link MeterRegistry} (Spring Boot's metrics auto-configuration provides one). Either bean can
 * be replaced by declaring one of its type. Each call is timed once, by {@code resilience.operations}: the meters
 * Micrometer would derive from the call's observation are off unless {@code management.metrics.enable} names them
 * ({@link ObservationMetersOff}).
 *
 * @see GuardMetrics
 * @see BreakerMetrics
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, BreakerRegistry.class })
public final class ResilienceMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    GuardMetrics resilienceGuardMetrics(MeterRegistry meterRegistry, ObjectProvider<BreakerMetrics> breakerMetrics) {
        return new GuardMetrics(meterRegistry, breakerMetrics.getIfAvailable());
    }

    @Bean
    @ConditionalOnMissingBean
    BreakerMetrics resilienceBreakerMetrics(MeterRegistry meterRegistry, BreakerRegistry breakerRegistry,
            ObjectProvider<TimeSource> time) {
        return new BreakerMetrics(meterRegistry, breakerRegistry, time.getIfAvailable(TimeSource::system));
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(RetryBudgets.class)
    BudgetMetrics resilienceBudgetMetrics(MeterRegistry meterRegistry, BreakerRegistry breakerRegistry,
            RetryBudgets budgets) {
        return new BudgetMetrics(meterRegistry, breakerRegistry, budgets);
    }

    @Bean
    @ConditionalOnMissingBean
    static ObservationMeterDescriptions resilienceObservationMeterDescriptions() {
        return new ObservationMeterDescriptions();
    }

    @Bean
    @ConditionalOnMissingBean
    static ObservationMetersOff resilienceObservationMetersOff(Environment environment) {
        return ObservationMetersOff.of(environment);
    }
}
