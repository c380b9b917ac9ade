package dev.resilience.spring.aop;

import java.lang.reflect.Method;
import org.springframework.aop.ClassFilter;
import org.springframework.aop.support.StaticMethodMatcherPointcut;

/**
 * Matches the methods that {@link MethodAnnotations} finds {@code @Retry} or {@code @Breaker} on, and that a proxy
 * can intercept. Static: Spring asks once per method and proxy class, never per call.
 */
final class GuardedMethodPointcut extends StaticMethodMatcherPointcut {

    GuardedMethodPointcut() {
        setClassFilter(new CandidateClassFilter());
    }

    @Override
    public boolean matches(Method method, Class<?> targetClass) {
        MethodAnnotations.Found found = MethodAnnotations.find(method, targetClass);
        return found != null && MethodAnnotations.interceptable(found.method());
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
