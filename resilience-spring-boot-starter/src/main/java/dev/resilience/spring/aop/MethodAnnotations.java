package dev.resilience.spring.aop;

import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Set;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Where the annotations of a method come from: the method's own annotation (searched on the methods it
 * overrides or implements too) wins; else the annotation of the bean's class (searched on its superclasses and
 * interfaces) applies to the class's public, non-static methods other than {@code equals}, {@code hashCode} and
 * {@code toString}. Used at startup and at a method's first call.
 */
final class MethodAnnotations {

    private static final Set<Class<? extends Annotation>> TYPES = Set.of(Retry.class, Breaker.class);

    private MethodAnnotations() {
    }

    /** Whether the class may carry one of the annotations at all (false for JDK classes, quickly). */
    static boolean isCandidate(Class<?> userClass) {
        return AnnotationUtils.isCandidateClass(userClass, TYPES);
    }

    /** The method of the user class that a call of {@code method} on a bean of {@code targetClass} runs. */
    static Method specific(Method method, Class<?> targetClass) {
        Class<?> userClass = targetClass == null ? method.getDeclaringClass() : ClassUtils.getUserClass(targetClass);
        return BridgeMethodResolver.findBridgedMethod(AopUtils.getMostSpecificMethod(method, userClass));
    }

    static <A extends Annotation> A own(Method method, Class<A> type) {
        return AnnotatedElementUtils.findMergedAnnotation(method, type);
    }

    static <A extends Annotation> A ofType(Class<?> userClass, Class<A> type) {
        return AnnotatedElementUtils.findMergedAnnotation(userClass, type);
    }

    static boolean hasOwn(Method method) {
        return own(method, Retry.class) != null || own(method, Breaker.class) != null;
    }

    static boolean typeAnnotated(Class<?> userClass) {
        return ofType(userClass, Retry.class) != null || ofType(userClass, Breaker.class) != null;
    }

    /**
     * Whether the annotation of the class applies to this method: public, not static, neither one of Object's nor
     * an override of {@code equals}, {@code hashCode} or {@code toString}: logging a bean or putting it in a set
     * must not count as a call of its dependency, nor fail while its breaker is open.
     */
    static boolean typeLevelApplies(Method method) {
        int modifiers = method.getModifiers();
        return Modifier.isPublic(modifiers) && !Modifier.isStatic(modifiers)
                && method.getDeclaringClass() != Object.class && !ReflectionUtils.isEqualsMethod(method)
                && !ReflectionUtils.isHashCodeMethod(method) && !ReflectionUtils.isToStringMethod(method);
    }

    /** The annotation in effect on a method of the user class, or null. */
    static <A extends Annotation> A effective(Method specific, Class<?> userClass, Class<A> type) {
        A own = own(specific, type);
        if (own != null) {
            return own;
        }
        return typeLevelApplies(specific) ? ofType(userClass, type) : null;
    }

    /** Whether a proxy can intercept calls of the method at all. */
    static boolean interceptable(Method method) {
        int modifiers = method.getModifiers();
        return !Modifier.isPrivate(modifiers) && !Modifier.isStatic(modifiers) && !Modifier.isFinal(modifiers);
    }

    static String tag(Class<?> userClass, Method method) {
        return userClass.getSimpleName() + "." + method.getName();
    }
}
