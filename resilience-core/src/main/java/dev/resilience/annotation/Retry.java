package dev.resilience.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The retry policy of the annotated method: how many attempts an operation may make, which failures are retried,
 * and how long to wait between attempts.
 *
 * <p>The nominal wait before retry {@code k} is {@code delay * multiplier^(k-1)}, capped by {@link #maxDelay()};
 * the actual wait is the nominal one shortened by a random fraction of at most {@code jitter} (multiplier and
 * jitter come from {@code resilience.retry.defaults}). When the attempts run out, or a failure is not retried, the
 * caller gets the last failure itself, unwrapped.
 *
 * <p>A breaker's rejection ({@code BreakerOpenException}) is never retried. An operation that is not
 * {@link #idempotent()} is retried only on a failure that proves the request never reached the dependency.
 *
 * <p>On a type, the annotation applies to the type's public methods; a method's own annotation wins over its type's.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Retry {

    /**
     * Attempts in all, the first included. At least 1.
     *
     * @return the maximum number of attempts, 3 by default
     */
    int maxAttempts() default 3;

    /**
     * Whether the operation may safely run more than once. When {@code false}, only failures whose cause chain
     * holds a never-sent exception ({@code ConnectException}, {@code UnknownHostException},
     * {@code NoRouteToHostException}, {@code HttpConnectTimeoutException}, or a type listed in
     * {@code resilience.retry.never-sent-exceptions}) are retried; {@link #retryOn()} does not widen that.
     *
     * @return whether every retryable failure may be retried, {@code false} by default
     */
    boolean idempotent() default false;

    /**
     * Failures that are retried, matched against the failure and its causes. Empty means every {@link Exception}.
     *
     * @return the retried failure types
     */
    Class<? extends Throwable>[] retryOn() default {};

    /**
     * Failures that are never retried, matched against the failure and its causes. Wins over {@link #retryOn()}
     * and over the never-sent rule.
     *
     * @return the failure types that end the operation at once
     */
    Class<? extends Throwable>[] abortOn() default {};

    /**
     * Wait before the first retry, such as {@code "200ms"} or {@code "1s"}. Empty: {@code resilience.retry.defaults.delay}.
     *
     * @return the first wait
     */
    String delay() default "";

    /**
     * Cap of any single wait. Empty: {@code resilience.retry.defaults.max-delay}.
     *
     * @return the longest single wait
     */
    String maxDelay() default "";

    /**
     * Time budget of the whole operation: no retry starts whose wait would end past it. It never interrupts an
     * attempt that is running. Empty: no budget.
     *
     * @return the operation's time budget
     */
    String maxDuration() default "";
}
