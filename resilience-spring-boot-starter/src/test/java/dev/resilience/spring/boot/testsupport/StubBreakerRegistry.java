package dev.resilience.spring.boot.testsupport;

import dev.resilience.CircuitBreaker;
import dev.resilience.spring.BreakerRegistry;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** A fixed set of breakers, standing in for the starter's registry. */
public final class StubBreakerRegistry implements BreakerRegistry {

    private final Map<String, CircuitBreaker> breakers;

    public StubBreakerRegistry(CircuitBreaker... breakers) {
        this.breakers = List.of(breakers).stream()
                .collect(Collectors.toMap(CircuitBreaker::name, b -> b, (a, b) -> a, TreeMap::new));
    }

    @Override
    public CircuitBreaker breaker(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(
                "No breaker '" + name + "'; known: " + breakers.keySet()));
    }

    @Override
    public Optional<CircuitBreaker> find(String name) {
        return Optional.ofNullable(breakers.get(name));
    }

    @Override
    public Collection<CircuitBreaker> all() {
        return List.copyOf(breakers.values());
    }
}
