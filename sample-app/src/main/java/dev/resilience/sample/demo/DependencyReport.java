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
                standIn.calls(dependency), fallbacks());
    }

    String breakerState() {
        return breakers.find(dependency).map(CircuitBreaker::state).map(state -> state.tag()).orElse("none");
    }

    /** The checkout's own fallback: prices served from the last known price ({@code checkout.price.fallbacks}). */
    private long fallbacks() {
        if (!"prices".equals(dependency)) {
            return 0;
        }
        Counter counter = meters.find("checkout.price.fallbacks").counter();
        return counter == null ? 0 : (long) counter.count();
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
     * @return for example {@code " 12s payments-500  | payments  ok   0  failed   1  rejected  14 | real calls   1 | breaker open"},
     *     followed by {@code " | stale prices 9"} when fallbacks answered in that second
     */
    static String line(long elapsedSeconds, String phase, String dependency, OperationCounts counts, String state) {
        String line = String.format(Locale.ROOT, "%3ds %-13s | %-8s  ok %3d  failed %3d  rejected %3d | real calls %3d | breaker %-9s",
                elapsedSeconds, phase, dependency, counts.ok(), counts.failed(), counts.rejected(), counts.realCalls(), state);
        return counts.fallbacks() > 0 ? line + " | stale prices " + counts.fallbacks() : line.stripTrailing();
    }
}
