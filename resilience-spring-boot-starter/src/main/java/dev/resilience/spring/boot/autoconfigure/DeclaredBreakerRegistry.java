package dev.resilience.spring.boot.autoconfigure;

import dev.resilience.BreakerConfig;
import dev.resilience.CircuitBreaker;
import dev.resilience.TimeSource;
import dev.resilience.spring.BreakerRegistry;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The default {@link BreakerRegistry}: the breakers declared under {@code resilience.breaker.instances}, plus,
 * when {@code require-declared} is false, a breaker on the defaults for each undeclared name that an annotation
 * uses, added while the beans are created. A lookup never creates a breaker. Thread-safe.
 */
final class DeclaredBreakerRegistry implements BreakerRegistry {

    private final ConcurrentSkipListMap<String, CircuitBreaker> breakers = new ConcurrentSkipListMap<>();
    private final TimeSource time;

    DeclaredBreakerRegistry(Map<String, BreakerConfig> declared, TimeSource time) {
        this.time = time;
        declared.forEach((name, config) -> breakers.put(name, CircuitBreaker.of(name, config, time)));
    }

    /** Adds the breaker of an undeclared name found on a bean at startup, unless there is one already. */
    CircuitBreaker addUndeclared(String name, BreakerConfig defaults) {
        return breakers.computeIfAbsent(name, key -> CircuitBreaker.of(key, defaults, time));
    }

    @Override
    public CircuitBreaker breaker(String name) {
        CircuitBreaker breaker = name == null ? null : breakers.get(name);
        if (breaker == null) {
            throw new IllegalArgumentException("There is no breaker '" + name + "'; the breakers are "
                    + breakers.keySet() + ". A breaker is declared under resilience.breaker.instances or named by"
                    + " a @Breaker annotation; a lookup never creates one.");
        }
        return breaker;
    }

    @Override
    public Optional<CircuitBreaker> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(breakers.get(name));
    }

    @Override
    public Collection<CircuitBreaker> all() {
        return List.copyOf(breakers.values());
    }

    @Override
    public String toString() {
        return "BreakerRegistry" + breakers.keySet();
    }
}
