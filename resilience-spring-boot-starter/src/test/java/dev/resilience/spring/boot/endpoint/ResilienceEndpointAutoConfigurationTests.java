package dev.resilience.spring.boot.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.BreakerConfig;
import dev.resilience.CircuitBreaker;
import dev.resilience.spring.BreakerRegistry;
import dev.resilience.spring.boot.testsupport.StubBreakerRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ResilienceEndpointAutoConfigurationTests {

    private final CircuitBreaker payments = CircuitBreaker.of("payments", BreakerConfig.defaults());
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceEndpointAutoConfiguration.class))
            .withBean(BreakerRegistry.class, () -> new StubBreakerRegistry(payments));

    @Test
    void providesTheEndpointWhenExposed() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=breakers").run(context -> {
            assertThat(context).hasSingleBean(BreakersEndpoint.class).hasSingleBean(TransitionLog.class)
                    .hasSingleBean(BreakersEndpointWebExtension.class);
            assertThat(context.getBean(BreakersEndpoint.class).breaker("payments").state()).hasToString("closed");
        });
    }

    @Test
    void listensToEveryBreakerFromStartupAndDatesTransitionsWithTheApplicationsClock() {
        Instant at = Instant.parse("2026-11-22T07:00:00Z");
        runner.withPropertyValues("management.endpoints.web.exposure.include=breakers")
                .withBean(Clock.class, () -> Clock.fixed(at, ZoneOffset.UTC))
                .run(context -> {
                    payments.forceOpen();
                    assertThat(context.getBean(BreakersEndpoint.class).breaker("payments").transitions())
                            .containsExactly(new TransitionLog.Transition("closed", "forced_open", at));
                });
    }

    @Test
    void isAbsentWhenNotExposed() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(BreakersEndpoint.class));
    }

    @Test
    void isAbsentWhenItsAccessIsNone() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=breakers",
                "management.endpoint.breakers.access=NONE")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(BreakersEndpoint.class));
    }

    @Test
    void backsOffWithoutActuator() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=breakers")
                .withClassLoader(new FilteredClassLoader(Endpoint.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(BreakersEndpoint.class));
    }

    @Test
    void backsOffWithoutTheBreakerRegistry() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ResilienceEndpointAutoConfiguration.class))
                .withPropertyValues("management.endpoints.web.exposure.include=breakers")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(BreakersEndpoint.class));
    }
}
