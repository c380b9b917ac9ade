package dev.resilience.spring;

import java.lang.reflect.Method;
import java.util.Optional;

/**
 * Which methods the starter guards, and how it names them: the one rule behind its advisor, for anything else that
 * must follow it (the observation of guarded methods does). A method is guarded when {@code @Retry} or
 * {@code @Breaker} applies to it; for each, the most specific annotation wins: the class's method's (or that of a
 * superclass method it overrides), then the class's, then the interface's method's, then the interface's. A class's
 * or interface's annotation applies to the public instance methods that it declares itself, except {@code equals},
 * {@code hashCode}, {@code toString} and methods that an {@code org.springframework} interface declares (lifecycle
 * callbacks, {@code Ordered}, the {@code Aware} setters); an inherited method is guarded only where it is annotated
 * itself or declared by an annotated class, and an inherited {@code final} method is left unguarded. The starter
 * registers one bean of this type.
 *
 * <p>A method is resolved once per bean class, when every singleton exists (or at its first call or lookup), then
 * looked up in a map: a lookup does no reflection and no annotation search. Resolving a method builds its guard, so
 * look methods up when they are called, not while beans are being created. Thread-safe.
 */
@FunctionalInterface
public interface GuardedMethods {

    /**
     * The guarded method that a call of {@code method} on a bean of {@code targetClass} runs.
     *
     * @param method the method called, as a proxy sees it (it may be declared by a superclass or an interface)
     * @param targetClass the class of the bean called (seen through a CGLIB subclass), or {@code null} for the
     *     method's declaring class
     * @return the method with its {@code method} and {@code breaker} tags, or empty when it is not guarded
     */
    Optional<GuardedMethod> find(Method method, Class<?> targetClass);
}
