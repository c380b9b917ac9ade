package dev.resilience.spring.boot.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.BreakerConfig;
import dev.resilience.CircuitBreaker;
import dev.resilience.spring.BreakerRegistry;
import dev.resilience.spring.GuardListenerFactory;
import dev.resilience.spring.boot.testsupport.StubBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ResilienceMetricsAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceMetricsAutoConfiguration.class))
            .withBean(BreakerRegistry.class,
                    () -> new StubBreakerRegistry(CircuitBreaker.of("payments", BreakerConfig.defaults())));

    @Test
    void registersTheMetersOfEveryBreakerAtStartupAndAListenerFactory() {
        runner.withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(context).hasSingleBean(GuardMetrics.class).hasSingleBean(BreakerMetrics.class);
            assertThat(context).getBeans(GuardListenerFactory.class).hasSize(1);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.get("resilience.breaker.state").tags("breaker", "payments", "state", "closed").gauge()
                    .value()).isEqualTo(1);
        });
    }

    @Test
    void backsOffWithoutAMeterRegistry() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(GuardMetrics.class)
                .doesNotHaveBean(BreakerMetrics.class));
    }

    @Test
    void backsOffWithoutMicrometer() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context -> assertThat(context)
                .hasNotFailed().doesNotHaveBean(GuardMetrics.class).doesNotHaveBean(BreakerMetrics.class));
    }

    @Test
    void backsOffWithoutTheBreakerRegistry() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ResilienceMetricsAutoConfiguration.class))
                .withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(GuardMetrics.class));
    }

    @Test
    void theUsersOwnBeansWin() {
        runner.withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
                .withBean("myGuardMetrics", GuardMetrics.class, () -> new GuardMetrics(new SimpleMeterRegistry()))
                .withBean("myBreakerMetrics", BreakerMetrics.class,
                        () -> new BreakerMetrics(new SimpleMeterRegistry(), new StubBreakerRegistry()))
                .run(context -> {
                    assertThat(context).getBean(GuardMetrics.class).isSameAs(context.getBean("myGuardMetrics"));
                    assertThat(context).getBean(BreakerMetrics.class)
                            .isSameAs(context.getBean("myBreakerMetrics"));
                    assertThat(context.getBean(MeterRegistry.class).find("resilience.breaker.state").meters())
                            .isEmpty();
                });
    }
}
