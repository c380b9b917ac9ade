package dev.resilience.spring.boot.autoconfigure;

import static dev.resilience.spring.boot.autoconfigure.StartupFailures.analysisOf;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** What {@link ConfigurationFuzzTests} found, each kept as the case that broke. */
class ConfigurationFuzzRegressionTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class));

    @ParameterizedTest
    @ValueSource(strings = { "resilience.breaker.defaults.open-duration",
            "resilience.breaker.instances.payments.half-open-max-wait", "resilience.retry.defaults.delay",
            "resilience.retry.defaults.max-delay", "resilience.retry.budget.defaults.window",
            "resilience.retry.budget.instances.payments.window" })
    void aDurationOfMinusTwoToTheSixtyThreeNanosecondsFailsWithAnAnalysisNotAStackOverflow(String property) {
        // given: the one duration whose negation overflows; the core's message could not format it
        runner.withPropertyValues("resilience.breaker.instances.payments.window-size=50",
                property + "=-9223372036854775808ns").run(context -> {
                    // when
                    FailureAnalysis analysis = analysisOf(context);

                    // then
                    assertThat(analysis.getDescription()).isEqualTo(property + " must not be negative, but was"
                            + " PT-2562047H-47M-16.854775808S.");
                    assertThat(analysis.getAction()).isEqualTo("Set " + property
                            + " to a positive duration, such as 500ms or 30s.");
                });
    }

    @Test
    void aNegativeDurationNamesThePropertyAndTheValue() {
        runner.withPropertyValues("resilience.breaker.defaults.open-duration=-1s").run(context -> assertThat(
                analysisOf(context).getDescription()).isEqualTo(
                        "resilience.breaker.defaults.open-duration must not be negative, but was PT-1S."));
    }

    @Test
    void aListWrittenForASingleValueIsReportedAsAListNotAsAnEmptyValue() {
        // given: YAML's "window-size: [20]"
        runner.withPropertyValues("resilience.breaker.instances.payments.window-size[0]=20").run(context -> {
            // when
            FailureAnalysis analysis = analysisOf(context);

            // then
            assertThat(analysis.getDescription()).startsWith("resilience.breaker.instances.payments.window-size takes"
                    + " one value, but was written as a list (resilience.breaker.instances.payments.window-size[0] = 20"
                    + " (from ");
            assertThat(analysis.getDescription()).doesNotContain("empty");
            assertThat(analysis.getAction()).isEqualTo("Write resilience.breaker.instances.payments.window-size as a"
                    + " single value, such as window-size: 20, not as a list.");
        });
    }

    @Test
    void aCamelCaseKeyWrittenAsAListIsReportedAsAListNotAsAnUnknownKey() {
        runner.withPropertyValues("resilience.retry.defaults.maxDelay[0]=2s").run(context -> assertThat(
                analysisOf(context).getDescription()).startsWith(
                        "resilience.retry.defaults.max-delay takes one value, but was written as a list"));
    }

    @Test
    void aBreakerNameWrittenInTwoNotationsIsReportedAsSuchNotAsAnUnknownKey() {
        // given: the same breaker with and without brackets; Spring Boot binds only one of them
        runner.withPropertyValues("resilience.breaker.instances.[inventory_eu].window-size=30",
                "resilience.breaker.instances.inventory_eu.slow-call-rate-threshold=16").run(context -> {
                    // when
                    FailureAnalysis analysis = analysisOf(context);

                    // then
                    assertThat(analysis.getDescription()).doesNotContain("is not a property")
                            .contains("slow-call-rate-threshold = 16 was not read")
                            .contains("also written in another notation");
                    assertThat(analysis.getAction()).startsWith("Write the name of each breaker and budget in one"
                            + " notation");
                });
    }

    @Test
    void theDashboardKeyReadByNoActiveAutoConfigurationIsNotReportedAsEmpty() {
        // given: resilience.dashboard.enabled with the dashboard's auto-configuration excluded
        runner.withPropertyValues("resilience.dashboard.enabled=true").run(context -> {
            // when
            FailureAnalysis analysis = analysisOf(context);

            // then
            assertThat(analysis.getDescription()).startsWith("resilience.dashboard.enabled = true was not read")
                    .doesNotContain("empty");
        });
    }
}
