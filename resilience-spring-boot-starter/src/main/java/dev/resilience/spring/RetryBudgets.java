package dev.resilience.spring;

import dev.resilience.BudgetConfig;
import dev.resilience.RetryBudget;
import java.util.Collection;
import java.util.Optional;

/**
 * The retry budgets of the application's dependencies: one per breaker, shared by every method that names it, from
 * {@code resilience.retry.budget}. A breaker whose budget is disabled has none. The starter registers one bean of
 * this type; a bean of your own replaces it. Thread-safe.
 */
public interface RetryBudgets {

    /**
     * The budget of the dependency that a breaker guards.
     *
     * @param breakerName the breaker's name
     * @return its budget, made on first use, or empty when its budget is disabled
     */
    Optional<RetryBudget> find(String breakerName);

    /**
     * The settings of a breaker's budget, enabled or not.
     *
     * @param breakerName the breaker's name
     * @return its settings
     */
    BudgetConfig config(String breakerName);

    /** @return the budgets made so far, sorted by name */
    Collection<RetryBudget> all();
}
