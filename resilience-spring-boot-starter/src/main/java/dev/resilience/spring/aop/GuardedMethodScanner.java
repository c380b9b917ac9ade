package dev.resilience.spring.aop;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.ClassUtils;

/**
 * Checks, when each bean is created, the {@code @Retry} and {@code @Breaker} annotations of its class (once per
 * class), so that a bad annotation fails startup and every breaker an annotation names exists before any call; the
 * beans that startup does not create are checked from their types by {@link MethodGuards}.
 * Classes without the annotations are passed by without creating anything. It looks before initialisation (before
 * any proxy is made, so that a final class is reported as such) and again after it, so that objects made by a
 * {@code FactoryBean} are checked too; it sees through a proxy to the bean's own class.
 */
public final class GuardedMethodScanner implements BeanPostProcessor {

    private final Supplier<MethodGuards> guards;
    private final Map<Class<?>, Boolean> seen = new ConcurrentHashMap<>();

    /**
     * Creates the scanner.
     *
     * @param guards gives the guards; asked at the first bean whose class carries an annotation
     */
    public GuardedMethodScanner(Supplier<MethodGuards> guards) {
        this.guards = guards;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        check(bean);
        return bean;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        check(bean);
        return bean;
    }

    private void check(Object bean) {
        Class<?> targetClass = AopUtils.getTargetClass(bean);
        Class<?> beanClass = ClassUtils.getUserClass(targetClass);
        if (seen.containsKey(beanClass)) {
            return;
        }
        if (MethodAnnotations.annotatedTypes(beanClass).stream().anyMatch(GuardedMethodScanner::carriesAnnotations)) {
            guards.get().validateBean(targetClass);
        }
        seen.put(beanClass, Boolean.TRUE);
    }

    private static boolean carriesAnnotations(Class<?> userClass) {
        return !MethodAnnotations.annotatedMethods(userClass).isEmpty();
    }
}
