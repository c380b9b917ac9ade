package dev.resilience.spring.aop;

import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import java.lang.reflect.Method;
import org.springframework.aop.ClassFilter;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.util.ClassUtils;

/**
 * Matches the methods that carry {@code @Retry} or {@code @Breaker}, their own or their class's. Static: Spring
 * asks once per method and proxy class, never per call.
 */
final class GuardedMethodPointcut extends StaticMethodMatcherPointcut {

    GuardedMethodPointcut() {
        setClassFilter(new CandidateClassFilter());
    }

    @Override
    public boolean matches(Method method, Class<?> targetClass) {
        Method specific = MethodAnnotations.specific(method, targetClass);
        if (!MethodAnnotations.interceptable(specific)) {
            return false;
        }
        Class<?> userClass = targetClass == null ? specific.getDeclaringClass() : ClassUtils.getUserClass(targetClass);
        return MethodAnnotations.effective(specific, userClass, Retry.class) != null
                || MethodAnnotations.effective(specific, userClass, Breaker.class) != null;
    }

    @Override
    public String toString() {
        return "GuardedMethodPointcut[@Retry, @Breaker]";
    }

    private static final class CandidateClassFilter implements ClassFilter {

        @Override
        public boolean matches(Class<?> type) {
            return MethodAnnotations.isCandidate(type);
        }
    }
}
