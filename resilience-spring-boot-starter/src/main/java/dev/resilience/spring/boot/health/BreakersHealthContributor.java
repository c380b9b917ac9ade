package dev.resilience.spring.boot.health;

import dev.resilience.BreakerSnapshot;
import dev.resilience.BreakerState;
import dev.resilience.CircuitBreaker;
import dev.resilience.spring.BreakerRegistry;
import dev.resilience.spring.RetryBudgets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code breakers} health component: one child per circuit breaker, named after it, listed from the
 * {@link BreakerRegistry} at each request.
 *
 * <p>A child is {@code UP} whatever its breaker's state, so that a dependency's outage never turns the application
 * DOWN (a liveness probe would restart healthy pods), except for a breaker configured with
 * {@code out-of-service-when-open: true}: it is {@code OUT_OF_SERVICE} while open or forced open, for a readiness
 * group. Its details are {@code state} (closed, open, half_open, forced_open), {@code failureRate} and
 * {@code slowCallRate} (percent over the calls in the window; 0 with no call; they decide nothing while
 * {@code bufferedCalls} is below {@code minimumCalls}), {@code bufferedCalls}, {@code minimumCalls},
 * {@code rejectedCalls} (since created or reset) and {@code remainingOpen} (an ISO-8601 duration such as
 * {@code PT12.5S}: the time until an open breaker admits a probe, {@code PT0S} unless open), and
 * {@code retryBudgetAvailable} (the retries its dependency's budget would allow now) when the budget is enabled.
 * Thread-safe.
 */
public final class BreakersHealthContributor implements CompositeHealthContributor {

    private final BreakerRegistry breakers;
    private final @Nullable RetryBudgets budgets;

    /**
     * Creates the contributor.
     *
     * @param breakers the breakers to report
     */
    public BreakersHealthContributor(BreakerRegistry breakers) {
        this(breakers, null);
    }

    /**
     * Creates the contributor.
     *
     * @param breakers the breakers to report
     * @param budgets the retry budgets whose {@code retryBudgetAvailable} each breaker shows, or {@code null}
     */
    public BreakersHealthContributor(BreakerRegistry breakers, @Nullable RetryBudgets budgets) {
        this.breakers = Objects.requireNonNull(breakers, "breakers");
        this.budgets = budgets;
    }

    @Override
    public HealthContributor getContributor(String name) {
        return breakers.find(name).map(breaker -> new BreakerHealth(breaker, budgets)).orElse(null);
    }

    @Override
    public Stream<Entry> stream() {
        return breakers.all().stream()
                .map(breaker -> new Entry(breaker.name(), new BreakerHealth(breaker, budgets)));
    }

    /**
     * The health of one breaker.
     *
     * @param breaker the breaker
     * @return its health, with details
     */
    static Health health(CircuitBreaker breaker, @Nullable RetryBudgets budgets) {
        BreakerSnapshot snapshot = breaker.snapshot();
        boolean open = snapshot.state() == BreakerState.OPEN || snapshot.state() == BreakerState.FORCED_OPEN;
        Status status = open && breaker.config().outOfServiceWhenOpen() ? Status.OUT_OF_SERVICE : Status.UP;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", snapshot.state().tag());
        details.put("failureRate", snapshot.failureRate());
        details.put("slowCallRate", snapshot.slowCallRate());
        details.put("bufferedCalls", snapshot.bufferedCalls());
        details.put("minimumCalls", snapshot.minimumCalls());
        details.put("rejectedCalls", snapshot.rejectedCalls());
        details.put("remainingOpen", snapshot.remainingOpen().toString());
        if (budgets != null) {
            budgets.find(breaker.name()).ifPresent(budget -> details.put("retryBudgetAvailable", budget.available()));
        }
        return Health.status(status).withDetails(details).build();
    }

    private record BreakerHealth(CircuitBreaker breaker, @Nullable RetryBudgets budgets) implements HealthIndicator {

        @Override
        public Health health() {
            return BreakersHealthContributor.health(breaker, budgets);
        }
    }
}
