package dev.resilience.spring.boot.observation;

import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Set;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;

/**
 * Matches the methods the starter guards, by the same rule: a method's own {@code @Breaker} or {@code @Retry}
 * (searched on the methods it overrides or implements too), else its class's for a public instance method not
 * declared by {@link Object}; never a private, static or final method. Static: asked once per method and class.
 */
final class GuardedMethodPointcut extends StaticMethodMatcherPointcut {

    private static final Set<Class<? extends Annotation>> ANNOTATIONS = Set.of(Retry.class, Breaker.class);

    GuardedMethodPointcut() {
        setClassFilter(type -> AnnotationUtils.isCandidateClass(type, ANNOTATIONS));
    }

    @Override
    public boolean matches(Method method, Class<?> targetClass) {
        Method specific = specific(method, targetClass);
        int modifiers = specific.getModifiers();
        if (Modifier.isPrivate(modifiers) || Modifier.isStatic(modifiers) || Modifier.isFinal(modifiers)) {
            return false;
        }
        Class<?> userClass = userClass(specific, targetClass);
        return effective(specific, userClass, Retry.class) != null
                || effective(specific, userClass, Breaker.class) != null;
    }

    static Method specific(Method method, Class<?> targetClass) {
        return BridgeMethodResolver.findBridgedMethod(
                AopUtils.getMostSpecificMethod(method, userClass(method, targetClass)));
    }

    static Class<?> userClass(Method method, Class<?> targetClass) {
        return targetClass == null ? method.getDeclaringClass() : ClassUtils.getUserClass(targetClass);
    }

    /** The annotation in effect on a method: its own, else its class's for a public instance method. */
    static <A extends Annotation> A effective(Method specific, Class<?> userClass, Class<A> type) {
        A own = AnnotatedElementUtils.findMergedAnnotation(specific, type);
        if (own != null) {
            return own;
        }
        int modifiers = specific.getModifiers();
        boolean typeLevelApplies = Modifier.isPublic(modifiers) && !Modifier.isStatic(modifiers)
                && specific.getDeclaringClass() != Object.class;
        return typeLevelApplies ? AnnotatedElementUtils.findMergedAnnotation(userClass, type) : null;
    }
}
