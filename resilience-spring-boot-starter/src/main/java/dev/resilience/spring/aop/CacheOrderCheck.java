package dev.resilience.spring.aop;

import dev.resilience.spring.GuardedMethod;
import java.util.Collection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.aop.Pointcut;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.cache.interceptor.BeanFactoryCacheOperationSourceAdvisor;
import org.springframework.core.Ordered;

/**
 * Warns at startup, once per method, about a guarded method that is cached ({@code @Cacheable}, {@code @CachePut},
 * {@code @CacheEvict}) by a cache advisor that is not ordered outside the guard's: that cache sits inside the guard,
 * so a cache hit counts as an attempt, and is refused while the breaker is open. Whether a method is cached is
 * asked of each cache advisor's pointcut, that is, of the {@code CacheOperationSource} that the advisor uses
 * ({@code getCacheOperations(method, targetClass)}).
 */
final class CacheOrderCheck {

    private static final Log LOG = LogFactory.getLog(CacheOrderCheck.class);

    private CacheOrderCheck() {
    }

    /**
     * @param beanFactory where the cache advisors are (none without {@code @EnableCaching})
     * @param guardOrder the order of the guard's advisor
     * @param methods the guarded methods
     */
    static void warn(ListableBeanFactory beanFactory, int guardOrder, Collection<GuardedMethod> methods) {
        Collection<BeanFactoryCacheOperationSourceAdvisor> caches = beanFactory
                .getBeansOfType(BeanFactoryCacheOperationSourceAdvisor.class, false, false).values();
        if (caches.isEmpty()) {
            return;
        }
        for (GuardedMethod method : methods) {
            for (BeanFactoryCacheOperationSourceAdvisor cache : caches) {
                if (cache.getOrder() >= guardOrder && caches(cache.getPointcut(), method)) {
                    LOG.warn(message(method, cache.getOrder(), guardOrder));
                    break;
                }
            }
        }
    }

    private static boolean caches(Pointcut pointcut, GuardedMethod method) {
        return pointcut.getClassFilter().matches(method.targetClass())
                && pointcut.getMethodMatcher().matches(method.method(), method.targetClass());
    }

    private static String message(GuardedMethod method, int cacheOrder, int guardOrder) {
        int outside = guardOrder == Ordered.HIGHEST_PRECEDENCE ? guardOrder : guardOrder - 1;
        String below = outside > 0 ? "Ordered.LOWEST_PRECEDENCE - " + (Ordered.LOWEST_PRECEDENCE - outside)
                : String.valueOf(outside);
        return method.methodTag() + " is cached inside its guard: its cache advisor (@Cacheable, @CachePut or"
                + " @CacheEvict) has order " + cacheOrder + ", not below the guard's order " + guardOrder
                + ", so each cache hit runs through the retry and the breaker: it counts as an attempt, and it is"
                + " refused while the breaker is open. Set @EnableCaching(order = " + below + ") or lower, so that"
                + " the cache answers before the guard.";
    }
}
