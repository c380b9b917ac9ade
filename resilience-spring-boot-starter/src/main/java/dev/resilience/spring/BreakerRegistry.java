package dev.resilience.spring;

import dev.resilience.CircuitBreaker;
import java.util.Collection;
import java.util.Optional;

/**
 * Every circuit breaker of the application, by name: those declared under {@code resilience.breaker.instances} and
 * those named by a {@code @Breaker} annotation, all created at startup. No lookup ever creates a breaker.
 *
 * <p>Inject it to reach a breaker from application code or a test, for example to force it open and check a
 * fallback: {@code registry.breaker("payments").forceOpen()}. Thread-safe.
 */
public interface BreakerRegistry {

    /**
     * The breaker of that name.
     *
     * @param name the breaker's name
     * @return the breaker
     * @throws IllegalArgumentException naming the known breakers when there is none of that name
     */
    CircuitBreaker breaker(String name);

    /**
     * The breaker of that name, if there is one.
     *
     * @param name the breaker's name
     * @return the breaker, or empty
     */
    Optional<CircuitBreaker> find(String name);

    /**
     * Every breaker, sorted by name.
     *
     * @return the breakers, unmodifiable
     */
    Collection<CircuitBreaker> all();
}
