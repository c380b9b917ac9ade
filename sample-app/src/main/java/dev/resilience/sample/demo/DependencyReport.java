package dev.resilience.sample.demo;

import dev.resilience.CircuitBreaker;
import dev.resilience.sample.standin.StandIn;
import dev.resilience.spring.BreakerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;

/**
 * Reads what happened to one dependency: operations by outcome from the {@code resilience.operations} timers
 * (exactly what {@code /actuator/prometheus} shows), real calls from the stand-in, the breaker's state from the
 * registry.
 */
final class DependencyReport {

    private final String dependency;
    private final MeterRegistry meters;
    private final StandIn standIn;
    private final BreakerRegistry breakers;

    DependencyReport(String dependency, MeterRegistry meters, StandIn standIn, BreakerRegistry breakers) {
        this.dependency = dependency;
        this.meters = meters;
        this.standIn = standIn;
        this.breakers = breakers;
    }

    String dependency() {
        return dependency;
    }

    OperationCounts counts() {
        return new OperationCounts(operations("success"), operations("failure"), operations("rejected"),
                standIn.calls(dependency), fallbacks(), denied(), pushbacks());
    }

    String breakerState() {
        return breakers.find(dependency).map(CircuitBreaker::state).map(state -> state.tag()).orElse("none");
    }

    /** The checkout's fallback: prices served from the last known price ({@code resilience.fallbacks}). */
    private long fallbacks() {
        if (!"prices".equals(dependency)) {
            return 0;
        }
        Counter counter = meters.find("resilience.fallbacks").tags("method", "PriceCatalog.quote", "outcome", "success")
                .counter();
        return counter == null ? 0 : (long) counter.count();
    }

    private long denied() {
        return (long) meters.find("resilience.retry.budget.denied").tag("breaker", dependency).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private long pushbacks() {
        return meters.find("resilience.retry.waits").tag("breaker", dependency).tag("reason", "pushback").timers()
                .stream().mapToLong(Timer::count).sum();
    }

    private long operations(String outcome) {
        return meters.find("resilience.operations").tag("breaker", dependency).tag("outcome", outcome).timers()
                .stream().mapToLong(Timer::count).sum();
    }

    /**
     * One line of the demo's output.
     *
     * @param elapsedSeconds seconds since the demo started
     * @param phase the current phase's name
     * @param counts what happened during the last second
     * @param state the breaker's state now
     * @return for example {@code " 12s payments-500     | payments  ok   0  failed   1  rejected  14 | real calls   1
     *     (0.07/op) | breaker open"}, followed by {@code " | stale prices 9"} when fallbacks answered in that
     *     second, {@code " | budget denied 3"} when the retry budget refused retries, and
     *     {@code " | waited Retry-After 2"} when retries waited as the server asked
     */
    static String line(long elapsedSeconds, String phase, String dependency, OperationCounts counts, String state) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "%3ds %-18s | %-8s  ok %3d  failed %3d  rejected %3d | real calls %3d (%.2f/op) | breaker %-9s",
                elapsedSeconds, phase, dependency, counts.ok(), counts.failed(), counts.rejected(), counts.realCalls(),
                counts.callsPerOperation(), state));
        if (counts.fallbacks() > 0) {
            line.append(" | stale prices ").append(counts.fallbacks());
        }
        if (counts.denied() > 0) {
            line.append(" | budget denied ").append(counts.denied());
        }
        if (counts.pushbacks() > 0) {
            line.append(" | waited Retry-After ").append(counts.pushbacks());
        }
        return line.toString().stripTrailing();
    }
}
