package dev.resilience.spring.boot.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.BreakerConfig;
import dev.resilience.CircuitBreaker;
import dev.resilience.spring.BreakerRegistry;
import dev.resilience.spring.boot.testsupport.StubBreakerRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ResilienceHealthAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceHealthAutoConfiguration.class))
            .withBean(BreakerRegistry.class,
                    () -> new StubBreakerRegistry(CircuitBreaker.of("payments", BreakerConfig.defaults())));

    @Test
    void contributesTheBreakersComponent() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(BreakersHealthContributor.class);
            assertThat(context.getBean("breakersHealthContributor", BreakersHealthContributor.class)
                    .getContributor("payments")).isInstanceOf(HealthIndicator.class);
        });
    }

    @Test
    void canBeSwitchedOff() {
        runner.withPropertyValues("management.health.breakers.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(BreakersHealthContributor.class));
    }

    @Test
    void theSwitchIsDocumentedForTheIde() throws java.io.IOException {
        String json;
        try (java.io.InputStream in = new org.springframework.core.io.ClassPathResource(
                "META-INF/spring-configuration-metadata.json").getInputStream()) {
            json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        java.util.List<Object> defaults = com.jayway.jsonpath.JsonPath.read(json,
                "$.properties[?(@.name == 'management.health.breakers.enabled')].defaultValue");
        assertThat(defaults).containsExactly(true);
    }

    @Test
    void backsOffWithoutSpringBootHealth() {
        runner.withClassLoader(new FilteredClassLoader(HealthContributor.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(BreakersHealthContributor.class));
    }

    @Test
    void backsOffWithoutTheBreakerRegistry() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ResilienceHealthAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(BreakersHealthContributor.class));
    }

    @Test
    void theUsersOwnContributorWins() {
        HealthIndicator mine = () -> org.springframework.boot.health.contributor.Health.up().build();
        runner.withBean("breakersHealthContributor", HealthIndicator.class, () -> mine)
                .run(context -> {
                    assertThat(context).doesNotHaveBean(BreakersHealthContributor.class);
                    assertThat(context.getBean("breakersHealthContributor")).isSameAs(mine);
                });
    }
}
