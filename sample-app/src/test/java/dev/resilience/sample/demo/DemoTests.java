package dev.resilience.sample.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DemoTests {

    @Test
    void aLineShowsTheSecondPhaseDependencyCountsAndState() {
        // when
        String line = DependencyReport.line(12, "payments-500", "payments", new OperationCounts(0, 1, 14, 1, 0), "open");

        // then
        assertThat(line).isEqualTo(" 12s payments-500       | payments  ok   0  failed   1  rejected  14 | real calls   1"
                + " (0.07/op) | breaker open");
    }

    @Test
    void aLineEndsWithTheStalePricesServedWhenThereWereAny() {
        // when
        String line = DependencyReport.line(27, "prices-slow", "prices", new OperationCounts(0, 0, 12, 0, 12), "open");

        // then
        assertThat(line).isEqualTo(" 27s prices-slow        | prices    ok   0  failed   0  rejected  12 | real calls   0"
                + " (0.00/op) | breaker open      | stale prices 12");
    }

    @Test
    void countsOverASecondAreTheDifferenceOfTwoReadings() {
        assertThat(new OperationCounts(10, 4, 20, 15, 6).minus(new OperationCounts(7, 4, 12, 13, 1)))
                .isEqualTo(new OperationCounts(3, 0, 8, 2, 5));
    }

    @Test
    void phasesFollowEachOtherAndTheScriptEnds() {
        // given
        List<DemoPhase> phases = DemoScript.phases();

        // then
        assertThat(phases).extracting(DemoPhase::name)
                .containsExactly("healthy", "payments-flaky", "payments-throttled", "payments-500", "payments-back",
                        "prices-slow", "recovered");
        assertThat(DemoDriver.phaseAt(phases, 0).name()).isEqualTo("healthy");
        assertThat(DemoDriver.phaseAt(phases, 4).name()).isEqualTo("healthy");
        assertThat(DemoDriver.phaseAt(phases, 5).name()).isEqualTo("payments-flaky");
        assertThat(DemoDriver.phaseAt(phases, 13).name()).isEqualTo("payments-throttled");
        assertThat(DemoDriver.phaseAt(phases, 19).name()).isEqualTo("payments-500");
        assertThat(DemoDriver.phaseAt(phases, 52).name()).isEqualTo("recovered");
        assertThat(DemoDriver.phaseAt(phases, 53)).isNull();
    }

    @Test
    void aLineShowsTheBudgetsDenialsAndTheWaitsTheServerAskedFor() {
        // when
        String line = DependencyReport.line(9, "payments-flaky", "payments",
                new OperationCounts(38, 2, 0, 47, 0, 4, 1), "closed");

        // then
        assertThat(line).isEqualTo("  9s payments-flaky     | payments  ok  38  failed   2  rejected   0 | real calls  47"
                + " (1.18/op) | breaker closed    | budget denied 4 | waited Retry-After 1");
    }
}
