package dev.resilience.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class ReportTests {

    private static final String PACKAGE = "dev.resilience.benchmarks.";

    @Test
    void rowsShowTheirRatiosToTheBaselineAndToTheMatchingResilience4jRow() {
        // given
        List<Object> results = results(
                result("CoreSuccessOneThread.baseline", 0.5, 0.0),
                result("CoreSuccessOneThread.ourRetryAndBreaker", 40, 0.001),
                result("CoreSuccessOneThread.r4jRetryAndBreaker", 100, 104));

        // when
        String markdown = Report.render(results, "-f 1", "benchmarks.json");

        // then
        assertThat(markdown).contains("| ours: retry + breaker (`Guard`) <br>`CoreSuccessOneThread.ourRetryAndBreaker`"
                + " | 40.0 ± 1.00 | 0 | 80× | 0.400× |");
        assertThat(markdown).contains("| Resilience4j: `Decorators` retry + breaker <br>"
                + "`CoreSuccessOneThread.r4jRetryAndBreaker` | 100 ± 1.00 | 104 | 200× | 1.00× |");
    }

    @Test
    void targetsAreMetOrMissedFromTheRatiosOfTheSameRun() {
        // given: 0.4x on one thread (target 0.5x), 0.3x on two (target 0.25x)
        List<Object> results = results(
                result("CoreSuccessOneThread.ourRetryAndBreaker", 40, 0),
                result("CoreSuccessOneThread.r4jRetryAndBreaker", 100, 104),
                result("CoreSuccessTwoThreads.ourRetryAndBreaker", 90, 0),
                result("CoreSuccessTwoThreads.r4jRetryAndBreaker", 300, 104));

        // when
        String markdown = Report.render(results, "", "benchmarks.json");

        // then
        assertThat(markdown).contains("| core retry + breaker, 1 thread: ≤ 0.5× Resilience4j | 0.400× (40.0 vs 100 ns) | met |");
        assertThat(markdown).contains("| core retry + breaker, 2 threads: ≤ 0.25× Resilience4j | 0.300× (90.0 vs 300 ns)"
                + " | **missed** |");
        assertThat(markdown).contains("| annotated `@Breaker` + `@Retry`: ≤ 0.1× Resilience4j's annotations"
                + " | not measured (Proxied.ourAnnotations missing) | **not measured** |");
    }

    @Test
    void aBenchmarkThatDidNotRunIsShownAsNotRun() {
        // given
        List<Object> results = results(result("Proxied.unproxied", 0.4, 0));

        // when
        String markdown = Report.render(results, "", "benchmarks.json");

        // then
        assertThat(markdown).contains("| ours: `@Breaker` + `@Retry` <br>`Proxied.ourAnnotations` | not run | | | |");
    }

    private static List<Object> results(String... entries) {
        return castList(Json.parse("[" + String.join(",", entries) + "]"));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> castList(Object value) {
        return (List<Object>) value;
    }

    private static String result(String name, double nanos, double bytes) {
        return String.format(Locale.ROOT, """
                {"jmhVersion": "1.37", "benchmark": "%s", "mode": "avgt", "threads": 1, "forks": 1,
                 "jvmArgs": [], "jdkVersion": "17", "vmName": "VM", "vmVersion": "17",
                 "warmupIterations": 2, "warmupTime": "1 s", "measurementIterations": 3, "measurementTime": "1 s",
                 "primaryMetric": {"score": %s, "scoreError": 1.0, "scoreUnit": "ns/op"},
                 "secondaryMetrics": {"gc.alloc.rate.norm": {"score": %s, "scoreError": "NaN", "scoreUnit": "B/op"}}}
                """, PACKAGE + name, nanos, bytes);
    }
}
