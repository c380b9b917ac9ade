package dev.resilience.spring.aop;

import dev.resilience.CircuitBreaker;
import dev.resilience.RetryBudget;
import dev.resilience.RetryPolicy;
import dev.resilience.spring.GuardedMethod;
import dev.resilience.spring.reactive.ReactiveCalls;

/**
 * What the annotations of one method of one bean class say, resolved and checked once.
 *
 * @param method the method with its tags
 * @param retry its retry policy; {@link RetryPolicy#none()} without {@code @Retry}
 * @param breaker its breaker, or null
 * @param budget its breaker's retry budget, or null
 * @param fallback its fallback, or null
 * @param returns what kind of result it returns, and so how a call runs through its guard
 */
record MethodSpec(GuardedMethod method, RetryPolicy retry, CircuitBreaker breaker, RetryBudget budget,
        FallbackMethod fallback, Returns returns) {

    /** The kinds of result that a guard records when they end, not when they are returned. */
    enum Returns {
        /** A plain value: recorded when the method returns or throws. */
        VALUE,
        /** A {@code CompletionStage} or {@code CompletableFuture}: recorded when it completes. */
        STAGE,
        /** A Reactor {@code Mono}, or a Kotlin {@code suspend} function's result: one operation per subscription. */
        MONO,
        /** A Reactor {@code Flux}, or a {@code suspend} function's {@code Flow}: one operation per subscription. */
        FLUX,
        /** A Kotlin {@code Flow} returned by a function that does not suspend: guarded as a {@code Flux}. */
        FLOW;

        boolean reactive() {
            return this == MONO || this == FLUX || this == FLOW;
        }

        /** How a call is guarded, for a reactive kind; null for the others: Reactor's classes are touched only here. */
        ReactiveCalls calls() {
            return switch (this) {
                case MONO -> ReactiveCalls.mono();
                case FLUX -> ReactiveCalls.flux();
                case FLOW -> ReactiveCalls.flow();
                default -> null;
            };
        }
    }
}
