package dev.resilience.spring.aop;

import java.util.function.Supplier;
import org.aopalliance.aop.Advice;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.core.Ordered;

/**
 * The one advisor of {@code @Retry} and {@code @Breaker}: a single interceptor runs each annotated method through
 * its {@link dev.resilience.Guard}, which composes the retry around the breaker whatever the order of the
 * annotations.
 *
 * <p>Its order, {@link #DEFAULT_ORDER}, puts it outside Spring's other advisors, {@code @Transactional} included
 * (whose order is {@link Ordered#LOWEST_PRECEDENCE} by default): each attempt then runs in a transaction of its
 * own. To change it, define a bean of this type yourself and call {@link #setOrder(int)}.
 */
public final class ResilienceAdvisor extends AbstractPointcutAdvisor {

    private static final long serialVersionUID = 1L;

    /** The default order: {@code Ordered.HIGHEST_PRECEDENCE + 100}, outside transactions and most advice. */
    public static final int DEFAULT_ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    private final transient Pointcut pointcut = new GuardedMethodPointcut();
    private final transient Advice advice;

    /**
     * Creates the advisor.
     *
     * @param guards gives the guards; asked at the first call of an annotated method, so that creating the advisor
     *     creates nothing else
     */
    public ResilienceAdvisor(Supplier<MethodGuards> guards) {
        this.advice = new GuardInterceptor(guards);
        setOrder(DEFAULT_ORDER);
    }

    /**
     * The methods that carry {@code @Retry} or {@code @Breaker}, by the rule of
     * {@link dev.resilience.spring.GuardedMethods}; an advisor that must wrap exactly the guarded methods (the
     * observation's does) shares it.
     *
     * @return the pointcut, static: matched once per method and class
     */
    @Override
    public Pointcut getPointcut() {
        return pointcut;
    }

    @Override
    public Advice getAdvice() {
        return advice;
    }
}
