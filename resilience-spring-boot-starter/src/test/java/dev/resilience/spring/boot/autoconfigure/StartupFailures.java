package dev.resilience.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.core.io.support.SpringFactoriesLoader;

/**
 * Analyzes a failed startup the way Spring Boot does: every {@link FailureAnalyzer} registered in
 * {@code META-INF/spring.factories}, in order, and the first analysis wins.
 */
final class StartupFailures {

    private StartupFailures() {
    }

    static FailureAnalysis analysisOf(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        Throwable failure = context.getStartupFailure();
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation(StartupFailures.class.getClassLoader())
                .load(FailureAnalyzer.class, SpringFactoriesLoader.FailureHandler.handleMessage((message, ex) -> {
                    // analyzers that need the failed context's bean factory or environment are left out
                }));
        for (FailureAnalyzer analyzer : analyzers) {
            FailureAnalysis analysis = analyzer.analyze(failure);
            if (analysis != null) {
                assertThat(analyzer.getClass().getPackageName())
                        .as("the analyzer that reports " + failure)
                        .isEqualTo(StartupFailures.class.getPackageName());
                return analysis;
            }
        }
        throw new AssertionError("no failure analyzer reports " + failure, failure);
    }
}
