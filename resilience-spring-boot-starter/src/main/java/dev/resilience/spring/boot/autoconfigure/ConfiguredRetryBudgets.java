package dev.resilience.spring.boot.autoconfigure;

import dev.resilience.spring.Spelling;
import dev.resilience.BudgetConfig;
import dev.resilience.CircuitBreaker;
import dev.resilience.RetryBudget;
import dev.resilience.TimeSource;
import dev.resilience.spring.BreakerRegistry;
import dev.resilience.spring.RetryBudgets;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * The budgets of {@code resilience.retry.budget}, one per breaker, made on first use from the breaker's instance
 * (or the defaults). Once every singleton exists it makes the budget of every breaker, so that each gauge exists
 * from startup, and checks that every instance names a breaker. Thread-safe.
 */
final class ConfiguredRetryBudgets implements RetryBudgets, SmartInitializingSingleton {

    private static final int MAX_SUGGESTION_DISTANCE = 2;

    private final ResilienceProperties properties;
    private final BreakerRegistry breakers;
    private final TimeSource time;
    private final ConcurrentSkipListMap<String, Optional<RetryBudget>> budgets = new ConcurrentSkipListMap<>();

    ConfiguredRetryBudgets(ResilienceProperties properties, BreakerRegistry breakers, TimeSource time) {
        this.properties = properties;
        this.breakers = breakers;
        this.time = time;
        ResilienceSettings.budgetConfig(properties, "");
        properties.getRetry().getBudget().getInstances().keySet()
                .forEach(name -> ResilienceSettings.budgetConfig(properties, name));
    }

    @Override
    public Optional<RetryBudget> find(String breakerName) {
        return budgets.computeIfAbsent(breakerName, name -> {
            BudgetConfig config = ResilienceSettings.budgetConfig(properties, name);
            return config.enabled() ? Optional.of(RetryBudget.of(name, config, time)) : Optional.empty();
        });
    }

    @Override
    public BudgetConfig config(String breakerName) {
        return find(breakerName).map(RetryBudget::config)
                .orElseGet(() -> ResilienceSettings.budgetConfig(properties, breakerName));
    }

    @Override
    public Collection<RetryBudget> all() {
        return budgets.values().stream().flatMap(Optional::stream).toList();
    }

    /** Makes every breaker's budget, and fails startup on an instance that names no breaker. */
    @Override
    public void afterSingletonsInstantiated() {
        List<String> names = breakers.all().stream().map(CircuitBreaker::name).toList();
        for (String instance : properties.getRetry().getBudget().getInstances().keySet()) {
            if (!names.contains(instance)) {
                String property = ResilienceSettings.BUDGET_INSTANCES + "." + instance;
                String hint = Spelling.closest(instance, names, MAX_SUGGESTION_DISTANCE)
                        .map(close -> "Did you mean " + ResilienceSettings.BUDGET_INSTANCES + "." + close + "? ")
                        .orElse("");
                throw new InvalidResiliencePropertyException(property + " names no breaker: a budget belongs to a"
                        + " breaker's dependency, and the breakers are " + names + ".",
                        hint + "Rename " + property + " to the name of a breaker, or remove it.", null);
            }
        }
        names.forEach(this::find);
    }

    @Override
    public String toString() {
        return "RetryBudgets" + budgets.keySet();
    }
}
