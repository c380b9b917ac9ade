package dev.resilience.spring.boot.metrics;

import dev.resilience.CircuitBreaker;
import dev.resilience.RetryBudget;
import dev.resilience.spring.BreakerRegistry;
import dev.resilience.spring.RetryBudgets;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Registers {@code resilience.retry.budget.available} (gauge; tag {@code breaker}): the retries each dependency's
 * budget would allow now, once all singletons exist, for every breaker whose budget is enabled. Thread-safe.
 */
public final class BudgetMetrics implements SmartInitializingSingleton {

    static final String AVAILABLE = "resilience.retry.budget.available";

    private final MeterRegistry meters;
    private final BreakerRegistry breakers;
    private final RetryBudgets budgets;

    /**
     * Creates the binder; nothing is registered before {@link #afterSingletonsInstantiated()}.
     *
     * @param meters where the gauges are registered
     * @param breakers the breakers whose budgets are shown
     * @param budgets the budgets
     */
    public BudgetMetrics(MeterRegistry meters, BreakerRegistry breakers, RetryBudgets budgets) {
        this.meters = Objects.requireNonNull(meters, "meters");
        this.breakers = Objects.requireNonNull(breakers, "breakers");
        this.budgets = Objects.requireNonNull(budgets, "budgets");
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (CircuitBreaker breaker : breakers.all()) {
            budgets.find(breaker.name()).ifPresent(budget -> Gauge.builder(AVAILABLE, budget, RetryBudget::available)
                    .description("Retries that the dependency's retry budget would allow now")
                    .baseUnit("retries")
                    .tags("breaker", breaker.name())
                    .strongReference(true)
                    .register(meters));
        }
    }
}
