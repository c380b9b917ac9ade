package dev.resilience.spring.boot.autoconfigure;

import dev.resilience.spring.aop.InvalidGuardedMethodException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a {@code @Retry} or {@code @Breaker} annotation that cannot work, naming the method and the value. */
final class InvalidGuardedMethodFailureAnalyzer extends AbstractFailureAnalyzer<InvalidGuardedMethodException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidGuardedMethodException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
