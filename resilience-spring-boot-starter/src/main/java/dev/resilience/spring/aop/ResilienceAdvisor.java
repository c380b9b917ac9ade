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
 * <p>Its order, {@link #DEFAULT_ORDER}, puts it inside method security and outside {@code @Transactional} at its
 * default order ({@link Ordered#LOWEST_PRECEDENCE}): a call that {@code @PreAuthorize} or {@code @Secured} refuses
 * is neither an attempt nor retried, and each attempt runs in a transaction of its own (or joins the caller's). A
 * {@code @Cacheable} advisor at its default order sits inside the guard too, so a cache hit would be an attempt:
 * startup warns about each such method, and the fix is {@code @EnableCaching(order = ...)} below this advisor's
 * order. The observation of a guarded call is opened by an advisor ordered just outside this one, which follows this
 * one's order. To change the order, define a bean of this type yourself and call {@link #setOrder(int)}.
 */
public final class ResilienceAdvisor extends AbstractPointcutAdvisor {

    private static final long serialVersionUID = 1L;

    /**
     * The default order, {@code Ordered.LOWEST_PRECEDENCE - 1000}: inside method security (whose interceptors are
     * ordered near {@link Ordered#HIGHEST_PRECEDENCE}), outside {@code @Transactional} at its default order.
     */
    public static final int DEFAULT_ORDER = Ordered.LOWEST_PRECEDENCE - 1000;

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
