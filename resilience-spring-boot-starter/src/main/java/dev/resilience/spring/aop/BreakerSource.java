package dev.resilience.spring.aop;

import dev.resilience.CircuitBreaker;

/**
 * Gives the breaker that a {@code @Breaker} annotation names, when a bean's methods are checked at startup (and,
 * for a method no bean scan has seen, at its first call). It decides what an unknown name means: a failure, or a
 * breaker on the defaults.
 */
@FunctionalInterface
public interface BreakerSource {

    /**
     * The breaker of that name.
     *
     * @param name the breaker's name, not blank
     * @param methodTag the method that names it, such as {@code PaymentClient.charge}, for the message
     * @return the breaker
     * @throws InvalidGuardedMethodException when there is no breaker of that name and none may be created
     */
    CircuitBreaker breaker(String name, String methodTag);
}
