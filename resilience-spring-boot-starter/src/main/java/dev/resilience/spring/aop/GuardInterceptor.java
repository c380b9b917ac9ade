package dev.resilience.spring.aop;

import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

/**
 * Runs each call of an annotated method through its method's guard. Per call: one map lookup by class and one by
 * method, the body's lambda, and nothing else of its own.
 */
final class GuardInterceptor implements MethodInterceptor {

    private final Supplier<MethodGuards> source;
    private volatile MethodGuards guards;

    GuardInterceptor(Supplier<MethodGuards> source) {
        this.source = source;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        MethodGuards resolved = guards;
        if (resolved == null) {
            resolved = source.get();
            guards = resolved;
        }
        Object target = invocation.getThis();
        Class<?> targetClass = target != null ? target.getClass() : invocation.getMethod().getDeclaringClass();
        return resolved.guardFor(invocation.getMethod(), targetClass).invoke(invocation);
    }

    @Override
    public String toString() {
        return "GuardInterceptor[@Retry, @Breaker]";
    }
}
