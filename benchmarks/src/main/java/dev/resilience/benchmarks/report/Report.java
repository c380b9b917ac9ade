package dev.resilience.benchmarks.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a JMH JSON result as {@code docs/benchmarks.md}: the machine, the JDK, JMH's settings, then each row as
 * ns/op, B/op, its ratio to its group's baseline and to the matching Resilience4j row of the same run, and the
 * targets met or missed. Needs nothing but a JDK:
 * {@code java -cp benchmarks.jar dev.resilience.benchmarks.report.Report result.json benchmarks.md "jmh options"}.
 */
public final class Report {

    private static final String PACKAGE = "dev.resilience.benchmarks.";
    private static final String CORE_BASELINE = "CoreSuccessOneThread.baseline";

    private final Map<String, Result> results;
    private final Map<String, Object> first;

    private Report(List<Object> json) {
        results = new LinkedHashMap<>();
        for (Object entry : json) {
            Result result = Result.of(map(entry));
            results.put(result.name(), result);
        }
        first = json.isEmpty() ? Map.of() : map(json.get(0));
    }

    /**
     * Reads a JMH JSON result and writes the Markdown report.
     *
     * @param args the JSON file, the Markdown file to write, and the JMH options the run used (for the record)
     * @throws IOException when a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("Usage: Report <jmh-result.json> <benchmarks.md> [\"<jmh options>\"]");
            System.exit(2);
        }
        Object json = Json.parse(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8));
        if (!(json instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("JMH result " + args[0] + " holds no benchmark result");
        }
        @SuppressWarnings("unchecked")
        List<Object> entries = (List<Object>) list;
        String markdown = render(entries, args.length > 2 ? args[2] : "", Path.of(args[0]).getFileName().toString());
        Files.writeString(Path.of(args[1]), markdown, StandardCharsets.UTF_8);
        System.out.println("Wrote " + args[1] + " from " + entries.size() + " results");
    }

    /**
     * Renders parsed JMH results.
     *
     * @param entries JMH's JSON result, parsed by {@link Json}
     * @param options the JMH options of the run, shown as they are
     * @param jsonName the result file's name, linked from the report
     * @return the Markdown report
     */
    static String render(List<Object> entries, String options, String jsonName) {
        return new Report(entries).render(options, jsonName);
    }

    private String render(String options, String json) {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Overhead of our breaker and retry on a call, side by side with Resilience4j, Failsafe and Spring"
                + " Framework 7's retry, measured by the JMH module `benchmarks` in one run, so that the ratios"
                + " between rows cancel most of the machine's noise. Rerun with `bash benchmarks/run.sh`"
                + " (about six minutes); the raw JMH result is [`" + json + "`](" + json + ").\n\n");
        md.append("Every row calls the same body, which returns a field. *× baseline* divides by the group's"
                + " baseline (the bare call); *× R4j* divides by the matching Resilience4j row of the same run."
                + " ± is JMH's 99.9% confidence half-width: with few iterations, read it before a small"
                + " difference. B/op is `gc.alloc.rate.norm` (`-prof gc`); \"0\" means under 0.5 byte per call.\n\n");
        machine(md, options);
        targets(md);
        section(md, "Core, success path, 1 thread", "CoreSuccessOneThread", CORE_BASELINE, coreRows("CoreSuccessOneThread"),
                "Libraries called directly, no Spring. Each library decorates the body once at setup; one breaker per"
                        + " library, shared by the callers. A breaker times each call (slow-call detection), so"
                        + " every breaker row reads the clock at least twice: twice `clockRead` is their floor.");
        section(md, "Core, success path, 2 threads", "CoreSuccessTwoThreads", "CoreSuccessTwoThreads.baseline",
                coreRows("CoreSuccessTwoThreads"),
                "The same, two threads calling through one shared breaker (contention on its window).");
        section(md, "Through Spring proxies, success path, 1 thread", "Proxied", "Proxied.unproxied", List.of(
                new Row("unproxied", "the bean, unproxied (baseline)", null),
                new Row("passThroughProxy", "a Spring proxy whose one interceptor only proceeds (the proxy's own cost)",
                        null),
                new Row("ourAnnotations", "ours: `@Breaker` + `@Retry`", "r4jAnnotations"),
                new Row("r4jAnnotations", "Resilience4j: `@CircuitBreaker` + `@Retry` (aspects)", "r4jAnnotations"),
                new Row("springRetryable", "Spring: `@Retryable` alone", "r4jAnnotations"),
                new Row("ourAnnotationsWithMetrics", "ours, with a MeterRegistry (timers per attempt and operation)",
                        "r4jAnnotationsWithMetrics"),
                new Row("r4jAnnotationsWithMetrics", "Resilience4j, with a MeterRegistry", "r4jAnnotationsWithMetrics")),
                "A bean method called through its proxy in a non-web Boot application, one context per row; each"
                        + " row checks at setup that its bean is an AOP proxy whose advice runs and reaches the"
                        + " breaker. The first four rows have no MeterRegistry, so no library records metrics; the"
                        + " last two add a `SimpleMeterRegistry` bean and each library records what it records by"
                        + " default (ours: the contract's timers, checked at setup; Resilience4j: meters bound to the"
                        + " registry that read its breaker's counters).");
        section(md, "Failure paths, 1 thread", "FailurePaths", CORE_BASELINE, List.of(
                new Row("ourRejection", "ours: rejected by a forced-open breaker", "r4jRejection"),
                new Row("r4jRejection", "Resilience4j: rejected (default: stack trace filled)", "r4jRejection"),
                new Row("r4jRejectionWithoutStackTrace", "Resilience4j: rejected, `writableStackTraceEnabled(false)`",
                        "r4jRejection"),
                new Row("failsafeRejection", "Failsafe: rejected by an open breaker", "r4jRejection"),
                new Row("ourRejectionThroughRetry", "ours: rejected, through retry + breaker",
                        "r4jRejectionThroughRetry"),
                new Row("r4jRejectionThroughRetry", "Resilience4j: rejected, through retry + breaker",
                        "r4jRejectionThroughRetry"),
                new Row("ourRecordedFailure", "ours: 1 failure + 1 success recorded by a closed breaker",
                        "r4jRecordedFailure"),
                new Row("r4jRecordedFailure", "Resilience4j: 1 failure + 1 success recorded", "r4jRecordedFailure")),
                "Baseline: the bare call of the 1-thread core group. Our rejection is checked at setup to carry no"
                        + " stack trace (`-Dresilience.rejection-stack-traces` unset). Through retry + breaker,"
                        + " Resilience4j's retry is told to ignore `CallNotPermittedException` (by default it"
                        + " retries its own rejection, waiting 100 ms); ours never retries a rejection. A recorded"
                        + " failure is measured as one failing and one succeeding call (threshold 100%, so the"
                        + " breaker stays closed, checked at tear-down); the body throws a preallocated exception"
                        + " without a stack trace.");
        return md.toString();
    }

    private static List<Row> coreRows(String group) {
        return List.of(
                new Row("baseline", "plain call (baseline)", null),
                new Row("clockRead", "one `System.nanoTime()`, for scale", null),
                new Row("ourBreakerPermit", "ours: breaker, permit API by hand", "r4jBreaker"),
                new Row("ourBreaker", "ours: breaker alone (`Guard`)", "r4jBreaker"),
                new Row("ourRetry", "ours: retry alone (`Guard`)", "r4jRetry"),
                new Row("ourRetryAndBreaker", "ours: retry + breaker (`Guard`)", "r4jRetryAndBreaker"),
                new Row("r4jBreaker", "Resilience4j: breaker alone", "r4jBreaker"),
                new Row("r4jRetry", "Resilience4j: retry alone", "r4jRetry"),
                new Row("r4jRetryAndBreaker", "Resilience4j: `Decorators` retry + breaker", "r4jRetryAndBreaker"),
                new Row("failsafeRetryAndBreaker", "Failsafe: `with(retryPolicy, circuitBreaker)`",
                        "r4jRetryAndBreaker"),
                new Row("springRetryTemplate", "Spring: `RetryTemplate`", "r4jRetry"));
    }

    private void machine(StringBuilder md, String options) {
        md.append("## Run\n\n");
        md.append("| | |\n|---|---|\n");
        md.append("| date | ").append(Instant.now().truncatedTo(ChronoUnit.MINUTES)).append(" |\n");
        md.append("| CPU | ").append(cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" processors (nproc) |\n");
        md.append("| memory | ").append(memory()).append(" |\n");
        md.append("| load average at the end | ").append(loadAverage()).append(" |\n");
        md.append("| OS | ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(' ').append(System.getProperty("os.arch")).append(" |\n");
        md.append("| JDK | ").append(first.get("jdkVersion")).append(", ").append(first.get("vmName")).append(' ')
                .append(first.get("vmVersion")).append(" |\n");
        md.append("| JVM options | `").append(first.getOrDefault("jvmArgs", List.of())).append("` (JMH's forks) |\n");
        md.append("| JMH | ").append(first.get("jmhVersion")).append(", mode ").append(first.get("mode"))
                .append(", ").append(integer(first.get("forks"))).append(" fork(s), warmup ")
                .append(integer(first.get("warmupIterations"))).append(" × ").append(first.get("warmupTime"))
                .append(", measurement ").append(integer(first.get("measurementIterations"))).append(" × ")
                .append(first.get("measurementTime")).append(" |\n");
        if (!options.isBlank()) {
            md.append("| JMH options | `").append(options).append("` |\n");
        }
        md.append('\n');
    }

    private void targets(StringBuilder md) {
        md.append("## Targets\n\n");
        md.append("| target | measured | |\n|---|---|---|\n");
        ratioTarget(md, "core retry + breaker, 1 thread: ≤ 0.5× Resilience4j", "CoreSuccessOneThread.ourRetryAndBreaker",
                "CoreSuccessOneThread.r4jRetryAndBreaker", 0.5);
        ratioTarget(md, "core retry + breaker, 2 threads: ≤ 0.25× Resilience4j",
                "CoreSuccessTwoThreads.ourRetryAndBreaker", "CoreSuccessTwoThreads.r4jRetryAndBreaker", 0.25);
        allocationTarget(md, "core retry + breaker, 1 thread: 0 B/op", "CoreSuccessOneThread.ourRetryAndBreaker", 0.5);
        allocationTarget(md, "core retry + breaker, 2 threads: 0 B/op", "CoreSuccessTwoThreads.ourRetryAndBreaker", 0.5);
        ratioTarget(md, "annotated `@Breaker` + `@Retry`: ≤ 0.1× Resilience4j's annotations", "Proxied.ourAnnotations",
                "Proxied.r4jAnnotations", 0.1);
        ratioTarget(md, "annotated `@Breaker` + `@Retry`: no slower than Spring's `@Retryable` alone",
                "Proxied.ourAnnotations", "Proxied.springRetryable", 1.0);
        allocationTarget(md, "annotated `@Breaker` + `@Retry`: < 200 B/op", "Proxied.ourAnnotations", 200);
        ratioTarget(md, "rejection by an open breaker: ≤ 0.5× Resilience4j's", "FailurePaths.ourRejection",
                "FailurePaths.r4jRejection", 0.5);
        Result rejection = results.get(PACKAGE + "FailurePaths.ourRejection");
        md.append("| rejection: no stack trace filled | ")
                .append(rejection == null ? "not measured" : "checked at setup: 0 frames, flag unset")
                .append(" | ").append(rejection == null ? "**not measured**" : "met").append(" |\n\n");
    }

    private void ratioTarget(StringBuilder md, String target, String ours, String theirs, double atMost) {
        Result a = results.get(PACKAGE + ours);
        Result b = results.get(PACKAGE + theirs);
        md.append("| ").append(target).append(" | ");
        if (a == null || b == null || !(b.nanos() > 0)) {
            md.append("not measured (").append(a == null ? ours : theirs).append(" missing) | **not measured** |\n");
            return;
        }
        double ratio = a.nanos() / b.nanos();
        md.append(ratio(ratio)).append(" (").append(nanos(a.nanos())).append(" vs ").append(nanos(b.nanos()))
                .append(" ns) | ").append(ratio <= atMost ? "met" : "**missed**").append(" |\n");
    }

    private void allocationTarget(StringBuilder md, String target, String ours, double below) {
        Result a = results.get(PACKAGE + ours);
        md.append("| ").append(target).append(" | ");
        if (a == null || Double.isNaN(a.bytes())) {
            md.append("not measured | **not measured** |\n");
            return;
        }
        md.append(bytes(a.bytes())).append(" B/op | ").append(a.bytes() < below ? "met" : "**missed**").append(" |\n");
    }

    private void section(StringBuilder md, String title, String group, String baselineName, List<Row> rows, String note) {
        md.append("## ").append(title).append("\n\n").append(note).append("\n\n");
        md.append("| benchmark | ns/op | B/op | × baseline | × R4j |\n|---|--:|--:|--:|--:|\n");
        Result baseline = results.get(PACKAGE + baselineName);
        List<String> shown = new ArrayList<>();
        for (Row row : rows) {
            String name = PACKAGE + group + "." + row.method();
            shown.add(name);
            Result result = results.get(name);
            Result r4j = row.r4j() == null ? null : results.get(PACKAGE + group + "." + row.r4j());
            md.append("| ").append(row.label()).append(" <br>`").append(group).append('.').append(row.method())
                    .append("` | ");
            if (result == null) {
                md.append("not run | | | |\n");
                continue;
            }
            md.append(nanos(result.nanos())).append(" ± ").append(nanos(result.error())).append(" | ")
                    .append(bytes(result.bytes())).append(" | ")
                    .append(baseline == null ? "" : ratio(result.nanos() / baseline.nanos())).append(" | ")
                    .append(r4j == null ? "" : ratio(result.nanos() / r4j.nanos())).append(" |\n");
        }
        for (Result result : results.values()) {
            if (result.name().startsWith(PACKAGE + group + ".") && !shown.contains(result.name())) {
                md.append("| `").append(result.name().substring(PACKAGE.length())).append("` | ")
                        .append(nanos(result.nanos())).append(" ± ").append(nanos(result.error())).append(" | ")
                        .append(bytes(result.bytes())).append(" | ")
                        .append(baseline == null ? "" : ratio(result.nanos() / baseline.nanos())).append(" | |\n");
            }
        }
        md.append('\n');
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException unavailable) {
            // not Linux: the architecture is all we know
        }
        return System.getProperty("os.arch");
    }

    private static String memory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return String.format(Locale.ROOT, "%.1f GiB", os.getTotalMemorySize() / (1024.0 * 1024 * 1024));
        }
        return "unknown";
    }

    private static String loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f (1 min)", load);
    }

    private static String nanos(double value) {
        if (Double.isNaN(value)) {
            return "?";
        }
        return String.format(Locale.ROOT, value >= 100 ? "%,.0f" : value >= 10 ? "%.1f" : "%.2f", value);
    }

    private static String bytes(double value) {
        if (Double.isNaN(value)) {
            return "?";
        }
        return value < 0.5 ? "0" : String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String ratio(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "?";
        }
        return String.format(Locale.ROOT, value >= 10 ? "%,.0f×" : value >= 1 ? "%.2f×" : "%.3f×", value);
    }

    private static String integer(Object value) {
        return value instanceof Double d ? String.valueOf(d.longValue()) : String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private record Row(String method, String label, String r4j) {
    }

    /** One benchmark's score: mean ns/op, its error, and bytes allocated per op (NaN without {@code -prof gc}). */
    private record Result(String name, double nanos, double error, double bytes) {

        static Result of(Map<String, Object> entry) {
            Map<String, Object> primary = map(entry.get("primaryMetric"));
            double bytes = Double.NaN;
            Object secondary = entry.get("secondaryMetrics");
            if (secondary instanceof Map<?, ?> metrics) {
                for (Map.Entry<?, ?> metric : metrics.entrySet()) {
                    String key = String.valueOf(metric.getKey());
                    if (key.endsWith("gc.alloc.rate.norm")) {
                        bytes = Json.number(map(metric.getValue()).get("score"));
                    }
                }
            }
            return new Result(String.valueOf(entry.get("benchmark")), Json.number(primary.get("score")),
                    Json.number(primary.get("scoreError")), bytes);
        }
    }
}
