package dev.resilience.spring.boot.autoconfigure;

import dev.resilience.spring.Spelling;
import dev.resilience.BreakerConfig;
import dev.resilience.CircuitBreaker;
import dev.resilience.spring.BreakerRegistry;
import dev.resilience.spring.aop.BreakerSource;
import dev.resilience.spring.aop.InvalidGuardedMethodException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Gives the breaker a {@code @Breaker} names: a breaker of the registry; or, when {@code require-declared} is
 * false and the registry is the starter's own, a new breaker on the defaults; or else a startup failure that
 * suggests the closest declared name.
 */
final class AnnotatedBreakers implements BreakerSource {

    private static final int MAX_SUGGESTION_DISTANCE = 2;

    private final BreakerRegistry registry;
    private final boolean requireDeclared;
    private final Supplier<BreakerConfig> defaults;

    AnnotatedBreakers(BreakerRegistry registry, boolean requireDeclared, Supplier<BreakerConfig> defaults) {
        this.registry = registry;
        this.requireDeclared = requireDeclared;
        this.defaults = defaults;
    }

    @Override
    public CircuitBreaker breaker(String name, String methodTag) {
        Optional<CircuitBreaker> found = registry.find(name);
        if (found.isPresent()) {
            return found.get();
        }
        if (!requireDeclared && registry instanceof DeclaredBreakerRegistry declared) {
            return declared.addUndeclared(name, defaults.get());
        }
        List<String> known = registry.all().stream().map(CircuitBreaker::name).toList();
        String hint = Spelling.closest(name, known, MAX_SUGGESTION_DISTANCE)
                .map(close -> "Did you mean '" + close + "'? ")
                .orElse("");
        if (registry instanceof DeclaredBreakerRegistry) {
            throw new InvalidGuardedMethodException("Breaker '" + name + "' on " + methodTag + " is not declared:"
                    + " resilience.breaker.instances has no entry '" + name + "' (declared: " + known + "), and"
                    + " resilience.breaker.require-declared is true.",
                    hint + "Fix the name in @Breaker on " + methodTag + ", or declare the breaker under"
                            + " resilience.breaker.instances." + name + ", or set"
                            + " resilience.breaker.require-declared to false to run undeclared breakers on"
                            + " resilience.breaker.defaults.");
        }
        throw new InvalidGuardedMethodException("Breaker '" + name + "' on " + methodTag + " is not in the"
                + " application's BreakerRegistry bean (" + registry.getClass().getName() + ", breakers: " + known
                + ").",
                hint + "Fix the name in @Breaker on " + methodTag + ", or add a breaker '" + name
                        + "' to the BreakerRegistry bean.");
    }
}
