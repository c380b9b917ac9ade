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

    /** A guarded bean, for the test below. */
    static class StockClient {

        @dev.resilience.annotation.Breaker("stock")
        @dev.resilience.annotation.Retry(idempotent = true)
        public int level(String sku) {
            return 7;
        }
    }

    @Test
    void everyAnnotatedMethodHasItsSeriesAtZeroFromStartupBeforeItsFirstCall() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        dev.resilience.spring.boot.autoconfigure.ResilienceAutoConfiguration.class,
                        ResilienceMetricsAutoConfiguration.class))
                .withPropertyValues("resilience.breaker.instances.stock.minimum-calls=5")
                .withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(StockClient.class)
                .run(context -> {
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(meters.get("resilience.attempts").tags("method", "StockClient.level", "breaker",
                            "stock", "outcome", "failure").timer().count()).isZero();
                    assertThat(meters.get("resilience.operations").tags("method", "StockClient.level", "outcome",
                            "success", "retried", "false").timer().count()).isZero();

                    context.getBean(StockClient.class).level("sku-1");

                    assertThat(meters.get("resilience.operations").tags("method", "StockClient.level", "outcome",
                            "success", "retried", "false").timer().count()).isEqualTo(1);
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
