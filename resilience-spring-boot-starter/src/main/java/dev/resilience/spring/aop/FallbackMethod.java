package dev.resilience.spring.aop;

import dev.resilience.spring.Spelling;
import dev.resilience.FallbackRule;
import dev.resilience.annotation.Fallback;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.core.ResolvableType;
import org.springframework.util.ReflectionUtils;

/**
 * The fallback method that a {@code @Fallback} names, resolved and checked once, at startup: a method of the same
 * class or a superclass, of any visibility, not static, taking the guarded method's parameters, optionally followed
 * by one failure parameter assignable from every type {@code applyOn} lists (from {@code Exception} when it lists
 * none), and returning a type assignable to the guarded method's, type arguments included. A call only invokes it,
 * on the target object; nothing is looked up per call.
 */
final class FallbackMethod {

    private static final int MAX_SUGGESTION_DISTANCE = 3;

    private final Method method;
    private final boolean takesFailure;
    private final FallbackRule rule;

    private FallbackMethod(Method method, boolean takesFailure, FallbackRule rule) {
        this.method = method;
        this.takesFailure = takesFailure;
        this.rule = rule;
    }

    /** @return the fallback method itself, for hints */
    Method method() {
        return method;
    }

    /** @return which failures get the fallback */
    FallbackRule rule() {
        return rule;
    }

    /** Calls the fallback on the target object with the call's arguments and, if it takes one, the failure. */
    Object invoke(Object target, Object[] arguments, Throwable failure) throws Exception {
        Object[] actual = arguments;
        if (takesFailure) {
            actual = Arrays.copyOf(arguments, arguments.length + 1);
            actual[arguments.length] = failure;
        }
        try {
            return method.invoke(target, actual);
        } catch (InvocationTargetException thrown) {
            throw MethodGuard.<Exception>sneaky(thrown.getCause());
        }
    }

    /**
     * Resolves the fallback of a guarded method.
     *
     * @param guarded the guarded method of the user class
     * @param userClass the bean's class
     * @param fallback its annotation
     * @param tag the guarded method's tag, for messages
     * @return the fallback
     * @throws InvalidGuardedMethodException naming the method and the signature expected, when no method fits, more
     *     than one does, or the name is blank
     */
    static FallbackMethod resolve(Method guarded, Class<?> userClass, Fallback fallback, String tag) {
        String name = fallback.method();
        List<Class<? extends Throwable>> applyOn = List.of(fallback.applyOn());
        Class<?> failureType = failureType(applyOn);
        String expected = expected(guarded, userClass, name.isBlank() ? "fallback" : name, failureType);
        if (name.isBlank()) {
            throw new InvalidGuardedMethodException("@Fallback on " + tag + " has a blank method name, but it must"
                    + " name a method of " + userClass.getSimpleName() + ".",
                    "Name the fallback in @Fallback(method = ...) on " + tag + ", a method such as " + expected + ".");
        }
        List<Method> named = new ArrayList<>();
        List<String> otherNames = new ArrayList<>();
        ReflectionUtils.doWithMethods(userClass, candidate -> {
            if (candidate.getName().equals(name)) {
                named.add(candidate);
            } else {
                otherNames.add(candidate.getName());
            }
        }, candidate -> !candidate.isBridge() && !candidate.isSynthetic()
                && candidate.getDeclaringClass() != Object.class);
        ResolvableType returned = ResolvableType.forMethodReturnType(guarded, userClass);
        List<FallbackMethod> fits = new ArrayList<>();
        List<String> misfits = new ArrayList<>();
        for (Method candidate : named) {
            String misfit = misfit(candidate, guarded, userClass, returned, applyOn);
            if (misfit == null) {
                fits.add(new FallbackMethod(candidate, candidate.getParameterCount() > guarded.getParameterCount(),
                        FallbackRule.of(applyOn, List.of(fallback.skipOn()))));
            } else {
                misfits.add(signature(candidate, userClass) + ": " + misfit);
            }
        }
        if (fits.size() == 1) {
            ReflectionUtils.makeAccessible(fits.get(0).method);
            return fits.get(0);
        }
        if (fits.size() > 1) {
            fits.sort(java.util.Comparator.comparingInt(f -> f.method.getParameterCount()));
            throw new InvalidGuardedMethodException("@Fallback on " + tag + " names '" + name + "', but "
                    + fits.size() + " methods of " + userClass.getSimpleName() + " fit: "
                    + fits.stream().map(f -> signature(f.method, userClass)).collect(Collectors.joining(", "))
                    + "; which one runs would be a guess.",
                    "Keep one method '" + name + "' that fits " + tag + " (" + expected + "), or rename the others.");
        }
        if (named.isEmpty()) {
            String hint = Spelling.closest(name, otherNames, MAX_SUGGESTION_DISTANCE)
                    .map(close -> "Did you mean '" + close + "'? ").orElse("");
            throw new InvalidGuardedMethodException("@Fallback on " + tag + " names '" + name + "', but "
                    + userClass.getSimpleName() + " has no method of that name; expected " + expected + ".",
                    hint + "Add " + expected + " to " + userClass.getSimpleName() + ", or fix the name in @Fallback on "
                            + tag + ".");
        }
        throw new InvalidGuardedMethodException("@Fallback on " + tag + " names '" + name + "', but no method of that"
                + " name fits: " + String.join("; ", misfits) + ". Expected " + expected + ".",
                "Change '" + name + "' to " + expected + ", or name another method in @Fallback on " + tag + ".");
    }

    /** Why the candidate does not fit, or null when it does. */
    private static String misfit(Method candidate, Method guarded, Class<?> userClass, ResolvableType returned,
            List<Class<? extends Throwable>> applyOn) {
        if (Modifier.isStatic(candidate.getModifiers())) {
            return "it is static, and a fallback runs on the bean";
        }
        Class<?>[] expected = guarded.getParameterTypes();
        Class<?>[] actual = candidate.getParameterTypes();
        if (actual.length != expected.length && actual.length != expected.length + 1
                || !Arrays.equals(Arrays.copyOf(actual, expected.length), expected)) {
            return "its parameters are not those of " + guarded.getName() + ", optionally followed by the failure";
        }
        if (actual.length == expected.length + 1) {
            Class<?> failure = actual[expected.length];
            List<Class<? extends Throwable>> admitted = applyOn.isEmpty() ? List.of(Exception.class) : applyOn;
            for (Class<? extends Throwable> type : admitted) {
                if (!failure.isAssignableFrom(type)) {
                    return "its failure parameter " + failure.getSimpleName() + " cannot receive "
                            + type.getSimpleName() + ", which applyOn admits";
                }
            }
        }
        if (!returned.isAssignableFrom(ResolvableType.forMethodReturnType(candidate, userClass))) {
            return "it returns " + simple(candidate.getGenericReturnType().getTypeName()) + ", not "
                    + simple(guarded.getGenericReturnType().getTypeName());
        }
        return null;
    }

    /** The narrowest class the failure parameter may have: a common superclass of what applyOn lists. */
    private static Class<?> failureType(List<Class<? extends Throwable>> applyOn) {
        if (applyOn.isEmpty()) {
            return Exception.class;
        }
        Class<?> common = applyOn.get(0);
        while (!applyOn.stream().allMatch(common::isAssignableFrom)) {
            common = common.getSuperclass();
        }
        return common;
    }

    private static String expected(Method guarded, Class<?> userClass, String name, Class<?> failureType) {
        String returned = simple(guarded.getGenericReturnType().getTypeName());
        String parameters = Arrays.stream(guarded.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(", "));
        String withFailure = parameters.isEmpty() ? failureType.getSimpleName()
                : parameters + ", " + failureType.getSimpleName();
        return returned + " " + name + "(" + parameters + ") or " + returned + " " + name + "(" + withFailure + ")";
    }

    private static String signature(Method method, Class<?> userClass) {
        return (Modifier.isStatic(method.getModifiers()) ? "static " : "")
                + simple(method.getGenericReturnType().getTypeName()) + " " + method.getName() + "("
                + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", "))
                + ")";
    }

    /** A type's name without its packages: {@code CompletionStage<Price>}. */
    private static String simple(String typeName) {
        return typeName.replaceAll("\\b[a-z][a-z0-9_]*\\.", "").replace('$', '.');
    }
}
