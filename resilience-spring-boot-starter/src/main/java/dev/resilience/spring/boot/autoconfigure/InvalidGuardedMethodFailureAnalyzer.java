package dev.resilience.spring.boot.autoconfigure;

import dev.resilience.spring.aop.InvalidGuardedMethodException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/** Reports a {@code @Retry} or {@code @Breaker} annotation that cannot work, naming the method and the value. */
final class InvalidGuardedMethodFailureAnalyzer extends AbstractFailureAnalyzer<InvalidGuardedMethodException>
        implements Ordered {

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidGuardedMethodException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
