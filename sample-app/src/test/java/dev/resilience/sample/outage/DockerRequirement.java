package dev.resilience.sample.outage;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Makes a container test fail, instead of being skipped by {@code @Testcontainers(disabledWithoutDocker = true)},
 * where {@code TESTS_REQUIRE_DOCKER=true} (CI) and Docker is unusable. Register it before {@code @Testcontainers}:
 * JUnit stops at the first condition that disables a test.
 */
final class DockerRequirement implements ExecutionCondition {

    static final String VARIABLE = "TESTS_REQUIRE_DOCKER";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!Boolean.parseBoolean(System.getenv(VARIABLE))) {
            return ConditionEvaluationResult.enabled(VARIABLE + " is not true: without Docker, @Testcontainers skips");
        }
        RuntimeException failure = null;
        boolean available;
        try {
            available = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException broken) {
            available = false;
            failure = broken;
        }
        if (!available) {
            throw new IllegalStateException(VARIABLE + "=true but Docker is unusable (DOCKER_HOST="
                    + System.getenv("DOCKER_HOST") + (failure == null ? "" : ": " + failure.getMessage()) + "), so "
                    + context.getDisplayName() + " cannot run; start it with "
                    + "eval \"$(bash ../shared/ci/start-docker.sh)\", or unset " + VARIABLE + " to skip container tests",
                    failure);
        }
        return ConditionEvaluationResult.enabled("Docker is available");
    }
}
