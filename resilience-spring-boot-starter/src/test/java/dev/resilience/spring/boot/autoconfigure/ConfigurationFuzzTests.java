package dev.resilience.spring.boot.autoconfigure;

import static dev.resilience.spring.boot.autoconfigure.StartupFailures.analysisOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.BreakerConfig;
import dev.resilience.BudgetConfig;
import dev.resilience.CircuitBreaker;
import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import dev.resilience.spring.BreakerRegistry;
import dev.resilience.spring.RetryBudgets;
import dev.resilience.spring.boot.autoconfigure.GeneratedConfiguration.Bean;
import dev.resilience.spring.boot.autoconfigure.GeneratedConfiguration.Empty;
import dev.resilience.spring.boot.autoconfigure.GeneratedConfiguration.Expected;
import dev.resilience.spring.boot.autoconfigure.GeneratedConfiguration.ExpectedBreaker;
import dev.resilience.spring.boot.autoconfigure.GeneratedConfiguration.ExpectedBudget;
import dev.resilience.spring.boot.autoconfigure.GeneratedConfiguration.Kind;
import java.lang.annotation.Annotation;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.implementation.FixedValue;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Configuration fuzzing: generated keys and values under {@code resilience.} (valid, out of range, misspelled,
 * empty, of the wrong type, huge, negative durations, unknown classes) and generated beans with good and bad
 * {@code @Retry}/{@code @Breaker} attributes, each case one context of {@link ResilienceAutoConfiguration}. Each
 * case either starts, and every breaker's and budget's effective config is exactly what {@link GeneratedConfiguration}
 * computes from the input and the contract's defaults, or fails with the starter's failure analysis naming one of the
 * properties or methods that the oracle blames. Never an unanalysed exception, a hang, or a value the oracle did not
 * expect.
 *
 * <p>Plain JUnit over seeded {@link java.util.Random}s rather than jqwik: no second test engine in the build, the same
 * cases on every run, and a failing case is reproduced from the seed printed with it. Cases are small (a handful of
 * entries), so shrinking would add little. {@code -Dresilience.fuzz.cases=20000} for the long run (default 1,000),
 * {@code -Dresilience.fuzz.seed=N} for other cases.
 */
class ConfigurationFuzzTests {

    private static final int CASES = Integer.getInteger("resilience.fuzz.cases", 1000);
    private static final long SEED = Long.getLong("resilience.fuzz.seed", 14L);
    private static final long CASE_TIMEOUT_SECONDS = 30;
    private static final AtomicInteger BEAN_NUMBERS = new AtomicInteger();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class));

    @Test
    void everyGeneratedConfigurationStartsAsWrittenOrFailsWithAnAnalysisNamingTheCulprit() throws Exception {
        Map<Kind, int[]> counts = new EnumMap<>(Kind.class);
        List<String> mismatches = new ArrayList<>();
        ExecutorService worker = Executors.newSingleThreadExecutor();
        long started = System.nanoTime();
        try {
            for (int i = 0; i < CASES && mismatches.size() < 20; i++) {
                GeneratedConfiguration generated = GeneratedConfiguration.generate(SEED * 1_000_003L + i,
                        BEAN_NUMBERS.getAndAdd(2));
                Future<Outcome> outcome = worker.submit(() -> run(generated));
                Outcome result;
                try {
                    result = outcome.get(CASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (TimeoutException hang) {
                    outcome.cancel(true);
                    mismatches.add(generated + "\n    hung for " + CASE_TIMEOUT_SECONDS + " s");
                    break;
                }
                int[] count = counts.computeIfAbsent(generated.kind, kind -> new int[3]);
                count[0]++;
                count[result.started() ? 1 : 2]++;
                if (result.mismatch() != null) {
                    mismatches.add(generated + "\n    " + result.mismatch());
                }
            }
        } finally {
            worker.shutdownNow();
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        System.out.println(report(counts, millis));
        assertThat(mismatches).as("cases whose outcome is not the expected one (seed %d)", SEED).isEmpty();
        assertThat(counts.values().stream().mapToInt(count -> count[0]).sum()).isEqualTo(CASES);
    }

    /** One case: its context, started or failed, checked against the oracle. */
    private Outcome run(GeneratedConfiguration generated) {
        Expected expected = generated.expected();
        ApplicationContextRunner context = runner.withPropertyValues(generated.properties());
        for (Bean bean : generated.beans) {
            context = withBean(context, beanClass(bean));
        }
        Outcome[] outcome = new Outcome[1];
        context.run(ran -> {
            Throwable failure = ran.getStartupFailure();
            if (failure == null) {
                outcome[0] = new Outcome(true, started(ran.getBean(BreakerRegistry.class), ran.getBean(RetryBudgets.class),
                        expected));
                return;
            }
            FailureAnalysis analysis;
            try {
                analysis = analysisOf(ran);
            } catch (AssertionError unanalysed) {
                outcome[0] = new Outcome(false, "failed without the starter's analysis: " + unanalysed.getMessage()
                        + "\n    " + failure);
                return;
            }
            outcome[0] = new Outcome(false, failed(analysis, expected, generated));
        });
        return outcome[0];
    }

    private static String started(BreakerRegistry registry, RetryBudgets budgets, Expected expected) {
        if (!expected.starts()) {
            return "started, but should have failed naming one of " + expected.culprits();
        }
        Map<String, ExpectedBreaker> actual = new TreeMap<>();
        Map<String, ExpectedBudget> actualBudgets = new TreeMap<>();
        for (CircuitBreaker breaker : registry.all()) {
            actual.put(breaker.name(), effective(breaker.config()));
            BudgetConfig budget = budgets.config(breaker.name());
            actualBudgets.put(breaker.name(), new ExpectedBudget(budget.enabled(), budget.ratio(),
                    budget.minRetriesPerSecond(), budget.window()));
        }
        if (!actual.equals(expected.breakers())) {
            return "breakers\n      are " + actual + "\n      not " + expected.breakers();
        }
        if (!actualBudgets.equals(expected.budgets())) {
            return "budgets\n      are " + actualBudgets + "\n      not " + expected.budgets();
        }
        return null;
    }

    private static String failed(FailureAnalysis analysis, Expected expected, GeneratedConfiguration generated) {
        if (expected.starts()) {
            return "failed, but should have started: " + analysis.getDescription();
        }
        String description = normalized(analysis.getDescription());
        boolean named = expected.culprits().stream().map(ConfigurationFuzzTests::normalized).anyMatch(description::contains);
        if (!named || analysis.getAction() == null || analysis.getAction().isBlank()) {
            return "the analysis names none of " + expected.culprits() + ": " + analysis.getDescription()
                    + "\n      action: " + analysis.getAction();
        }
        boolean emptyWritten = generated.entries.stream().anyMatch(entry -> entry.value() instanceof Empty);
        if (analysis.getDescription().contains("but was empty") && !emptyWritten) {
            return "the analysis says a value was empty, but none was: " + analysis.getDescription();
        }
        return null;
    }

    /** {@code instances[pay.ments].x} and {@code instances.[pay.ments].x} alike, in any case. */
    private static String normalized(String text) {
        return text.replace("[", ".").replace("]", "").replace("..", ".").toLowerCase(Locale.ROOT);
    }

    private static ExpectedBreaker effective(BreakerConfig c) {
        return new ExpectedBreaker(c.windowType().name().toLowerCase(Locale.ROOT), c.windowSize(), c.windowDuration(),
                c.minimumCalls(), c.failureRateThreshold(), c.slowCallDuration(), c.slowCallRateThreshold(),
                c.openDuration(), c.halfOpenProbes(), c.halfOpenMaxWait(),
                c.recordExceptions().stream().map(Class::getName).toList(),
                c.ignoreExceptions().stream().map(Class::getName).toList(), c.outOfServiceWhenOpen());
    }

    @SuppressWarnings("unchecked")
    private static ApplicationContextRunner withBean(ApplicationContextRunner runner, Class<?> type) {
        return runner.withBean((Class<Object>) type);
    }

    /** A public class with one public method {@code call} carrying the bean's annotations, defined in this package. */
    private static Class<?> beanClass(Bean bean) {
        List<Annotation> annotations = new ArrayList<>();
        if (bean.retry()) {
            annotations.add(AnnotationDescription.Builder.ofType(Retry.class)
                    .define("maxAttempts", bean.maxAttempts())
                    .define("delay", bean.delay())
                    .define("maxDelay", bean.maxDelay())
                    .define("maxDuration", bean.maxDuration())
                    .build().prepare(Retry.class).load());
        }
        if (bean.breaker() != null) {
            annotations.add(AnnotationDescription.Builder.ofType(Breaker.class).define("value", bean.breaker())
                    .build().prepare(Breaker.class).load());
        }
        try {
            return new ByteBuddy()
                    .subclass(Object.class)
                    .name(ConfigurationFuzzTests.class.getPackageName() + "." + bean.simpleName())
                    .defineMethod("call", String.class, Visibility.PUBLIC)
                    .intercept(FixedValue.value("called"))
                    .annotateMethod(annotations)
                    .make()
                    .load(ConfigurationFuzzTests.class.getClassLoader(), ClassLoadingStrategy.UsingLookup.of(
                            MethodHandles.privateLookupIn(ConfigurationFuzzTests.class, MethodHandles.lookup())))
                    .getLoaded();
        } catch (IllegalAccessException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static String report(Map<Kind, int[]> counts, long millis) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "configuration fuzzing: %d cases (seed %d) in %.1f s%n  %-18s %7s %8s %22s%n", CASES, SEED,
                millis / 1000.0, "kind", "cases", "started", "failed with analysis"));
        int[] total = new int[3];
        counts.forEach((kind, count) -> {
            out.append(String.format(Locale.ROOT, "  %-18s %7d %8d %22d%n", kind.name().toLowerCase(Locale.ROOT),
                    count[0], count[1], count[2]));
            for (int i = 0; i < 3; i++) {
                total[i] += count[i];
            }
        });
        out.append(String.format(Locale.ROOT, "  %-18s %7d %8d %22d", "all", total[0], total[1], total[2]));
        return out.toString();
    }

    /** Whether the context started, and what did not match the oracle (null when all did). */
    private record Outcome(boolean started, String mismatch) {
    }
}
