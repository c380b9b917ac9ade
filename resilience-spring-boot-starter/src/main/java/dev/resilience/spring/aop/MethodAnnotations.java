package dev.resilience.spring.aop;

import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.Retry;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotationSelectors;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * The one rule of where {@code @Retry} and {@code @Breaker} apply, used by the pointcut, by the startup check and
 * when a guard is built. For each of the two annotations, the most specific one wins: the annotation of the class's
 * method (or of a superclass method it overrides), then that of the class that declares the method (or of a
 * superclass that declares a method it overrides), then that of an interface's method it implements, then that of
 * the interface that declares that method. A class's or an interface's annotation applies only to the public
 * instance methods it declares itself, and never to {@code equals}, {@code hashCode}, {@code toString} or a method
 * that an {@code org.springframework} interface of the bean declares (lifecycle callbacks, {@code Ordered}, the
 * {@code Aware} setters). An inherited {@code final} method, which no proxy can intercept, is left unguarded.
 * Resolved at startup and at a method's first call, never per call.
 */
final class MethodAnnotations {

    private static final Set<Class<? extends Annotation>> TYPES = Set.of(Retry.class, Breaker.class, Fallback.class);
    private static final String SPRING_PACKAGE = "org.springframework.";

    private MethodAnnotations() {
    }

    /**
     * What applies to one method of a bean class.
     *
     * @param method the method of the user class that a call runs
     * @param retry its {@code @Retry}, or null
     * @param breaker its {@code @Breaker}, or null
     * @param fallback its {@code @Fallback} (a method's own only), or null
     * @param where where the annotations are, for a message: {@code on PaymentClient.charge} or
     *     {@code on class PaymentClient (for PaymentClient.charge)}
     */
    record Found(Method method, Retry retry, Breaker breaker, Fallback fallback, String where) {

        /** @return the annotations found, for a message: {@code @Retry and @Breaker}, say */
        String annotations() {
            List<String> names = new ArrayList<>();
            if (retry != null) {
                names.add("@Retry");
            }
            if (breaker != null) {
                names.add("@Breaker");
            }
            if (fallback != null) {
                names.add("@Fallback");
            }
            return String.join(" and ", names);
        }
    }

    /** Whether the class may carry one of the annotations at all (false for JDK and Spring classes, quickly). */
    static boolean isCandidate(Class<?> userClass) {
        return !userClass.getName().startsWith(SPRING_PACKAGE) && AnnotationUtils.isCandidateClass(userClass, TYPES);
    }

    /** The method of the user class that a call of {@code method} on a bean of {@code targetClass} runs. */
    static Method specific(Method method, Class<?> targetClass) {
        Class<?> userClass = userClass(method, targetClass);
        return BridgeMethodResolver.findBridgedMethod(AopUtils.getMostSpecificMethod(method, userClass));
    }

    /**
     * The class whose annotations apply to a call of {@code method} on a bean of {@code targetClass}: the bean's
     * own class, seen through a CGLIB subclass; for a JDK proxy (an HTTP service client, say), the interface that
     * declares the method, which also names it in the metrics ({@code PaymentClient.charge}, not
     * {@code $Proxy48.charge}).
     */
    static Class<?> userClass(Method method, Class<?> targetClass) {
        if (targetClass == null) {
            return method.getDeclaringClass();
        }
        Class<?> userClass = ClassUtils.getUserClass(targetClass);
        if (Proxy.isProxyClass(userClass)) {
            Class<?> declaring = method.getDeclaringClass();
            return declaring.isInterface() && declaring.isAssignableFrom(userClass) ? declaring : userClass;
        }
        return userClass;
    }

    /** The types whose annotations a bean's class stands for: its interfaces when it is a JDK proxy. */
    static List<Class<?>> annotatedTypes(Class<?> beanClass) {
        if (!Proxy.isProxyClass(beanClass)) {
            return List.of(beanClass);
        }
        List<Class<?>> interfaces = new ArrayList<>();
        for (Class<?> type : ClassUtils.getAllInterfacesForClassAsSet(beanClass)) {
            if (!type.getName().startsWith("java.") && !type.getName().startsWith(SPRING_PACKAGE)) {
                interfaces.add(type);
            }
        }
        return interfaces;
    }

    /**
     * What applies to a call of {@code method} on a bean of {@code targetClass}, or null when nothing does.
     *
     * @param method the method called, as a proxy sees it
     * @param targetClass the bean's class (seen through a CGLIB subclass), or null for the method's declaring class
     */
    static Found find(Method method, Class<?> targetClass) {
        Class<?> userClass = userClass(method, targetClass);
        if (!isCandidate(userClass)) {
            return null;
        }
        return resolve(specific(method, userClass), userClass);
    }

    /** What applies to each method of the user class that something applies to, in declaration order. */
    static List<Found> annotatedMethods(Class<?> userClass) {
        if (!isCandidate(userClass)) {
            return List.of();
        }
        List<Found> annotated = new ArrayList<>();
        for (Method method : ReflectionUtils.getUniqueDeclaredMethods(userClass,
                ReflectionUtils.USER_DECLARED_METHODS)) {
            Found found = resolve(method, userClass);
            if (found != null) {
                annotated.add(found);
            }
        }
        return annotated;
    }

    /** Whether a proxy can intercept calls of the method at all. */
    static boolean interceptable(Method method) {
        int modifiers = method.getModifiers();
        return !Modifier.isPrivate(modifiers) && !Modifier.isStatic(modifiers) && !Modifier.isFinal(modifiers);
    }

    static String tag(Class<?> userClass, Method method) {
        return userClass.getSimpleName() + "." + method.getName();
    }

    /** Applies the rule to a method of the user class (its most specific one), or null when nothing applies. */
    private static Found resolve(Method specific, Class<?> userClass) {
        Class<?> declaring = specific.getDeclaringClass();
        if (declaring != userClass && !declaring.isInterface() && Modifier.isFinal(specific.getModifiers())) {
            return null; // inherited and final: no proxy can intercept it, and the contract leaves it alone
        }
        Hierarchy hierarchy = new Hierarchy(specific, userClass);
        Source<Retry> retry = hierarchy.find(Retry.class);
        Source<Breaker> breaker = hierarchy.find(Breaker.class);
        Source<Fallback> fallback = hierarchy.findOnMethods(Fallback.class);
        if (retry == null && breaker == null && fallback == null) {
            return null;
        }
        String tag = tag(userClass, specific);
        AnnotatedElement typeSource = retry != null && !(retry.element() instanceof Method) ? retry.element()
                : breaker != null && !(breaker.element() instanceof Method) ? breaker.element() : null;
        boolean own = retry != null && retry.element() instanceof Method
                || breaker != null && breaker.element() instanceof Method || fallback != null;
        String where = own || typeSource == null ? "on " + tag
                : "on " + (((Class<?>) typeSource).isInterface() ? "interface " : "class ")
                        + ((Class<?>) typeSource).getSimpleName() + " (for " + tag + ")";
        return new Found(specific, retry == null ? null : retry.annotation(),
                breaker == null ? null : breaker.annotation(), fallback == null ? null : fallback.annotation(), where);
    }

    /** An annotation and the method or type that carries it. */
    private record Source<A extends Annotation>(A annotation, AnnotatedElement element) {
    }

    /**
     * The methods that a method of the user class overrides or implements, with the classes and interfaces that
     * declare them, nearest first.
     */
    private static final class Hierarchy {

        private final List<Method> classMethods = new ArrayList<>();
        private final List<Method> interfaceMethods = new ArrayList<>();
        private final boolean typeLevelApplies;

        Hierarchy(Method specific, Class<?> userClass) {
            Class<?> declaring = specific.getDeclaringClass();
            if (!declaring.isInterface()) {
                classMethods.add(specific);
                for (Class<?> type = declaring.getSuperclass(); type != null && type != Object.class;
                        type = type.getSuperclass()) {
                    Method overridden = declared(type, specific, userClass);
                    if (overridden != null) {
                        classMethods.add(overridden);
                    }
                }
            }
            boolean springInterface = false;
            for (Class<?> type : interfaces(userClass)) {
                Method implemented = type == declaring ? specific : declared(type, specific, userClass);
                if (implemented != null) {
                    interfaceMethods.add(implemented);
                    springInterface |= type.getName().startsWith(SPRING_PACKAGE);
                }
            }
            typeLevelApplies = !springInterface && typeLevelApplies(specific);
        }

        /** An annotation that only methods carry: the class's method first, then the interface's. */
        <A extends Annotation> Source<A> findOnMethods(Class<A> type) {
            Source<A> found = onMethods(classMethods, type);
            return found != null ? found : onMethods(interfaceMethods, type);
        }

        <A extends Annotation> Source<A> find(Class<A> type) {
            Source<A> found = onMethods(classMethods, type);
            if (found == null && typeLevelApplies) {
                found = onDeclaringTypes(classMethods, type);
            }
            if (found == null) {
                found = onMethods(interfaceMethods, type);
            }
            if (found == null && typeLevelApplies) {
                found = onDeclaringTypes(interfaceMethods, type);
            }
            return found;
        }

        private static <A extends Annotation> Source<A> onMethods(List<Method> methods, Class<A> type) {
            for (Method method : methods) {
                A annotation = direct(method, type);
                if (annotation != null) {
                    return new Source<>(annotation, method);
                }
            }
            return null;
        }

        private static <A extends Annotation> Source<A> onDeclaringTypes(List<Method> methods, Class<A> type) {
            for (Method method : methods) {
                if (Modifier.isPublic(method.getModifiers())) {
                    A annotation = direct(method.getDeclaringClass(), type);
                    if (annotation != null) {
                        return new Source<>(annotation, method.getDeclaringClass());
                    }
                }
            }
            return null;
        }

        /** The annotation declared on the element itself, or through a composed annotation; not inherited. */
        private static <A extends Annotation> A direct(AnnotatedElement element, Class<A> type) {
            MergedAnnotation<A> annotation = MergedAnnotations.from(element, SearchStrategy.DIRECT)
                    .get(type, null, MergedAnnotationSelectors.firstDirectlyDeclared());
            return annotation.isPresent() ? annotation.synthesize() : null;
        }
    }

    /**
     * Whether a class's annotation may apply to this method: public, not static, neither one of Object's nor an
     * override of {@code equals}, {@code hashCode} or {@code toString}: logging a bean or putting it in a set must not
     * count as a call of its dependency, nor fail while its breaker is open.
     */
    private static boolean typeLevelApplies(Method method) {
        int modifiers = method.getModifiers();
        return Modifier.isPublic(modifiers) && !Modifier.isStatic(modifiers)
                && method.getDeclaringClass() != Object.class && !ReflectionUtils.isEqualsMethod(method)
                && !ReflectionUtils.isHashCodeMethod(method) && !ReflectionUtils.isToStringMethod(method);
    }

    /** The interfaces of a type (itself first, when it is one), nearest first, their super-interfaces included. */
    private static Set<Class<?>> interfaces(Class<?> type) {
        Set<Class<?>> found = new LinkedHashSet<>();
        Deque<Class<?>> pending = new ArrayDeque<>();
        if (type.isInterface()) {
            pending.add(type);
        }
        for (Class<?> current = type; current != null; current = current.getSuperclass()) {
            pending.addAll(Arrays.asList(current.getInterfaces()));
        }
        while (!pending.isEmpty()) {
            Class<?> next = pending.poll();
            if (found.add(next)) {
                pending.addAll(Arrays.asList(next.getInterfaces()));
            }
        }
        return found;
    }

    /**
     * The method of {@code type} that {@code specific} overrides or implements, or null: same name and parameters,
     * the type's generic parameters resolved as the user class binds them.
     */
    private static Method declared(Class<?> type, Method specific, Class<?> userClass) {
        for (Method candidate : ReflectionUtils.getDeclaredMethods(type)) {
            if (candidate.getName().equals(specific.getName()) && !candidate.isBridge()
                    && !Modifier.isPrivate(candidate.getModifiers()) && !Modifier.isStatic(candidate.getModifiers())
                    && sameParameters(candidate, specific, userClass)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean sameParameters(Method candidate, Method specific, Class<?> userClass) {
        Class<?>[] types = specific.getParameterTypes();
        if (candidate.getParameterCount() != types.length) {
            return false;
        }
        if (Arrays.equals(candidate.getParameterTypes(), types)) {
            return true;
        }
        for (int i = 0; i < types.length; i++) {
            if (ResolvableType.forMethodParameter(candidate, i, userClass).toClass() != types[i]) {
                return false;
            }
        }
        return true;
    }
}
