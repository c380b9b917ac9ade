package dev.resilience.spring.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/** Reports a {@code resilience.*} value that is out of range, naming the property, the value and what is allowed. */
final class InvalidResiliencePropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidResiliencePropertyException>
        implements Ordered {

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidResiliencePropertyException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
