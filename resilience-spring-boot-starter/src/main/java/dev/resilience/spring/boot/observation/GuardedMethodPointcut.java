package dev.resilience.spring.boot.observation;

import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import java.lang.reflect.Method;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Matches the methods a guard protects: those carrying {@code @Breaker} or {@code @Retry}, and the methods of a
 * class carrying one, except those declared by {@link Object}.
 */
final class GuardedMethodPointcut extends StaticMethodMatcherPointcut {

    @Override
    public boolean matches(Method method, Class<?> targetClass) {
        if (method.getDeclaringClass() == Object.class) {
            return false;
        }
        Class<?> userClass = ClassUtils.getUserClass(targetClass);
        Method specific = AopUtils.getMostSpecificMethod(method, userClass);
        return guarded(specific) || guarded(method) || guarded(userClass);
    }

    private static boolean guarded(java.lang.reflect.AnnotatedElement element) {
        return AnnotatedElementUtils.hasAnnotation(element, Breaker.class)
                || AnnotatedElementUtils.hasAnnotation(element, Retry.class);
    }
}
