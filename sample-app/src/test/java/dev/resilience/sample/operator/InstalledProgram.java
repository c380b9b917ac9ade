package dev.resilience.sample.operator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test that needs programs of the machine (Debian's Chromium, Prometheus) where they are installed; skips
 * it where they are not, unless an environment variable says they must be (CI's {@code .ci/run} sets it), in which
 * case the test fails with what to install. The way {@code DockerRequirement} guards the container tests.
 */
abstract class InstalledProgram implements ExecutionCondition {

    private final String variable;
    private final String packages;
    private final List<Path> programs;

    InstalledProgram(String variable, String packages, String... programs) {
        this.variable = variable;
        this.packages = packages;
        this.programs = List.of(programs).stream().map(Path::of).toList();
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        List<Path> missing = programs.stream().filter(program -> !Files.isExecutable(program)).toList();
        if (missing.isEmpty()) {
            return ConditionEvaluationResult.enabled(programs + " installed");
        }
        if (Boolean.parseBoolean(System.getenv(variable))) {
            throw new IllegalStateException(variable + "=true but " + missing + " not installed, so "
                    + context.getDisplayName() + " cannot run; install them with apt-get install -y " + packages
                    + " (as .ci/run does), or unset " + variable + " to skip this test");
        }
        return ConditionEvaluationResult.disabled(missing + " not installed (apt-get install -y " + packages
                + "); skipped because " + variable + " is not true");
    }

    /** Debian's headless Chromium and its driver, for the operator's page. */
    static final class Browser extends InstalledProgram {

        static final String CHROMIUM = "/usr/bin/chromium";
        static final String CHROMEDRIVER = "/usr/bin/chromedriver";

        Browser() {
            super("TESTS_REQUIRE_BROWSER", "chromium chromium-driver", CHROMIUM, CHROMEDRIVER);
        }
    }

    /** Debian's Prometheus server, for the recording rules and alerts. */
    static final class Prometheus extends InstalledProgram {

        static final String PROMETHEUS = "/usr/bin/prometheus";

        Prometheus() {
            super("TESTS_REQUIRE_PROMETHEUS", "prometheus", PROMETHEUS);
        }
    }
}
