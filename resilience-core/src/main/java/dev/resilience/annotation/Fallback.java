package dev.resilience.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What the annotated method answers instead when its operation fails: a method of the same class (or a superclass),
 * of any visibility but not static, called on the target object once per operation, outside the retry and the
 * breaker, after every attempt the retry would make and each recorded by the breaker.
 *
 * <pre>{@code
 * @Breaker("prices")
 * @Retry(maxAttempts = 2, idempotent = true)
 * @Fallback(method = "lastKnownPrice", applyOn = {BreakerOpenException.class, IOException.class})
 * public Price price(String sku) { ... }
 *
 * Price lastKnownPrice(String sku, Throwable failure) { ... }   // the failure parameter is optional
 * }</pre>
 *
 * <p>The fallback takes the method's parameters, in order, optionally followed by one parameter that receives the
 * throwable {@code applyOn} matched (the first of the failure's cause chain, the failure itself first; the failure
 * itself when {@code applyOn} is empty), whose type must be assignable from every type {@code applyOn} lists (from
 * {@code Exception} when it lists none). Its return type must be assignable to the method's, type arguments
 * included: a {@code CompletionStage}, {@code Mono} or {@code Flux} method has a fallback of that same kind. What it
 * returns is what the caller gets; if it throws, the caller gets what it threw, the operation's failure suppressed in
 * it. It is resolved and checked at startup: a fallback that does not fit fails startup, naming the method and the
 * signature expected. Alone, it guards its method too (no retry, no breaker).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Fallback {

    /**
     * The name of the fallback method. Required and not blank.
     *
     * @return the fallback's name
     */
    String method();

    /**
     * Failures that get the fallback, matched against the failure and its causes. Empty, the default: every
     * {@link Exception}, and then the failure itself must be one.
     *
     * @return the failures that get the fallback
     */
    Class<? extends Throwable>[] applyOn() default {};

    /**
     * Failures that never get the fallback, matched against the failure and its causes; wins over {@link #applyOn}.
     *
     * @return the failures that never get it
     */
    Class<? extends Throwable>[] skipOn() default {};
}
