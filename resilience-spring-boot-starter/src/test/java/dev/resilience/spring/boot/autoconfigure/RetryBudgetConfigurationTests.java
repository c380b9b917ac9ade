package dev.resilience.spring.boot.autoconfigure;

import static dev.resilience.spring.boot.autoconfigure.StartupFailures.analysisOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.BudgetConfig;
import dev.resilience.RetryBudget;
import dev.resilience.spring.RetryBudgets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** resilience.retry.budget: one budget per breaker, from the defaults and its instance, checked at startup. */
class RetryBudgetConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class))
            .withPropertyValues("resilience.breaker.instances.payments.window-size=50",
                    "resilience.breaker.instances.stock.window-size=50");

    @Test
    void everyBreakerHasABudgetOnTheDefaultsFromStartup() {
        runner.run(context -> {
            RetryBudgets budgets = context.getBean(RetryBudgets.class);

            assertThat(budgets.all()).extracting(RetryBudget::name).containsExactly("payments", "stock");
            assertThat(budgets.config("payments")).isEqualTo(BudgetConfig.defaults());
            assertThat(budgets.find("payments").orElseThrow().available()).isEqualTo(100.0);
        });
    }

    @Test
    void anInstanceOverridesTheDefaultsKeyByKey() {
        runner.withPropertyValues("resilience.retry.budget.defaults.min-retries-per-second=5",
                "resilience.retry.budget.instances.payments.ratio=0.1",
                "resilience.retry.budget.instances.payments.window=20s").run(context -> {
                    RetryBudgets budgets = context.getBean(RetryBudgets.class);

                    assertThat(budgets.config("payments"))
                            .isEqualTo(new BudgetConfig(true, 0.1, 5, Duration.ofSeconds(20)));
                    assertThat(budgets.config("stock")).isEqualTo(new BudgetConfig(true, 0.2, 5,
                            Duration.ofSeconds(10)));
                });
    }

    @Test
    void aDisabledBudgetIsNone() {
        runner.withPropertyValues("resilience.retry.budget.instances.stock.enabled=false").run(context -> {
            RetryBudgets budgets = context.getBean(RetryBudgets.class);

            assertThat(budgets.find("stock")).isEmpty();
            assertThat(budgets.config("stock").enabled()).isFalse();
            assertThat(budgets.all()).extracting(RetryBudget::name).containsExactly("payments");
        });
    }

    @Test
    void anOutOfRangeValueNamesTheFullPropertyTheValueAndTheRange() {
        runner.withPropertyValues("resilience.retry.budget.instances.payments.ratio=11").run(context -> {
            FailureAnalysis analysis = analysisOf(context);

            assertThat(analysis.getDescription()).isEqualTo("resilience.retry.budget.instances.payments.ratio must be"
                    + " between 0 and 10, but was 11.0. (A key that an instance does not set comes from"
                    + " resilience.retry.budget.defaults.)");
            assertThat(analysis.getAction())
                    .isEqualTo("Set resilience.retry.budget.instances.payments.ratio to a value that is between 0 and 10.");
        });
    }

    @Test
    void aWindowOutOfRangeInTheDefaultsFailsStartup() {
        runner.withPropertyValues("resilience.retry.budget.defaults.window=2m").run(context -> {
            assertThat(analysisOf(context).getDescription()).isEqualTo(
                    "resilience.retry.budget.defaults.window must be between 1s and 60s, but was 120s.");
        });
    }

    @Test
    void aBudgetInstanceThatNamesNoBreakerFailsStartupWithTheClosestName() {
        runner.withPropertyValues("resilience.retry.budget.instances.paymnets.ratio=0.1").run(context -> {
            FailureAnalysis analysis = analysisOf(context);

            assertThat(analysis.getDescription()).isEqualTo("resilience.retry.budget.instances.paymnets names no"
                    + " breaker: a budget belongs to a breaker's dependency, and the breakers are [payments, stock].");
            assertThat(analysis.getAction()).isEqualTo("Did you mean resilience.retry.budget.instances.payments?"
                    + " Rename resilience.retry.budget.instances.paymnets to the name of a breaker, or remove it.");
        });
    }
}
