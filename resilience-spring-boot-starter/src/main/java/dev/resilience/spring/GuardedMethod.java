package dev.resilience.spring;

import java.lang.reflect.Method;

/**
 * A method that carries {@code @Breaker} or {@code @Retry}, as its metrics name it.
 *
 * @param methodTag the class's simple name, a dot and the method's name: {@code PaymentClient.charge}
 * @param breakerTag the breaker's name, or {@code none} when the method has no breaker
 * @param method the Java method
 * @param targetClass the user class of the bean (not the proxy's)
 */
public record GuardedMethod(String methodTag, String breakerTag, Method method, Class<?> targetClass) {

    /** The {@code breaker} tag of a method without a breaker. */
    public static final String NO_BREAKER = "none";
}
