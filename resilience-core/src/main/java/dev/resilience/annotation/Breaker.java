package dev.resilience.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Sends every call of the annotated method, and every retry of it, through the circuit breaker of one dependency.
 *
 * <p>A breaker belongs to a dependency, not to a method: every method, on any bean, that names the same breaker
 * shares one breaker, configured under {@code resilience.breaker.instances.<name>}. On a type, the annotation
 * applies to the type's public methods; a method's own annotation wins over its type's.
 *
 * <p>When a method also carries {@link Retry}, the retry wraps the breaker whatever the order in which the two
 * annotations are written: the breaker sees, and counts, every attempt.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Breaker {

    /**
     * The breaker's name, which is the name of the dependency it protects. Required and not blank.
     *
     * @return the breaker's name
     */
    String value();
}
