package dev.resilience.spring.aop;

import dev.resilience.CircuitBreaker;
import dev.resilience.RetryBudget;
import dev.resilience.RetryPolicy;
import dev.resilience.spring.GuardedMethod;

/**
 * What the annotations of one method of one bean class say, resolved and checked once.
 *
 * @param method the method with its tags
 * @param retry its retry policy; {@link RetryPolicy#none()} without {@code @Retry}
 * @param breaker its breaker, or null
 * @param budget its breaker's retry budget, or null
 * @param fallback its fallback, or null
 * @param async whether it returns a {@code CompletionStage}
 */
record MethodSpec(GuardedMethod method, RetryPolicy retry, CircuitBreaker breaker, RetryBudget budget,
        FallbackMethod fallback, boolean async) {
}
