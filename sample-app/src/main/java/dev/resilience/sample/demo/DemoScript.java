package dev.resilience.sample.demo;

import static dev.resilience.sample.standin.StandInMode.FAILING;
import static dev.resilience.sample.standin.StandInMode.FLAKY;
import static dev.resilience.sample.standin.StandInMode.HEALTHY;
import static dev.resilience.sample.standin.StandInMode.SLOW;
import static dev.resilience.sample.standin.StandInMode.THROTTLED;

import java.util.List;
import java.util.Map;

/**
 * The demo's phases: healthy, payments flaky (a partial outage the retry budget caps), payments throttling (its
 * {@code Retry-After} obeyed), an outage of payments, its recovery, an outage of prices, its recovery.
 */
final class DemoScript {

    private DemoScript() {
    }

    static List<DemoPhase> phases() {
        return List.of(
                new DemoPhase("healthy", 5, Map.of("payments", HEALTHY, "prices", HEALTHY),
                        "both dependencies answer: one real call per operation"),
                new DemoPhase("payments-flaky", 8, Map.of("payments", FLAKY, "prices", HEALTHY),
                        "payments fails 30 % of calls, below its breaker's threshold: reads are retried, but the retry"
                                + " budget (ratio 0.1 here) keeps real calls per operation at 1.1 at most, and counts the"
                                + " retries it refused"),
                new DemoPhase("payments-throttled", 6, Map.of("payments", THROTTLED, "prices", HEALTHY),
                        "payments answers 1 call in 3 with 503 and Retry-After: 1: a read's retry waits the second"
                                + " the server asked for (a charge, not idempotent, is not retried)"),
                new DemoPhase("payments-500", 10, Map.of("payments", FAILING, "prices", HEALTHY),
                        "payments answers 500: the breaker opens once 5 real calls have failed, then rejects at once (503 + Retry-After);"
                                + " every 4s it lets 2 probes through, they fail, it opens again"),
                new DemoPhase("payments-back", 8, Map.of("payments", HEALTHY, "prices", HEALTHY),
                        "payments is back: at the next probe time 2 probes succeed, the breaker closes, traffic flows"),
                new DemoPhase("prices-slow", 8, Map.of("payments", HEALTHY, "prices", SLOW),
                        "prices answers after 3s, past the 1s read timeout: the breaker opens and checkout goes on"
                                + " with the last known prices"),
                new DemoPhase("recovered", 8, Map.of("payments", HEALTHY, "prices", HEALTHY),
                        "prices is back: 2 probes, the breaker closes, live prices again"));
    }
}
