package dev.resilience.spring.aop;

import dev.resilience.CircuitBreaker;
import dev.resilience.InvalidSettingException;
import dev.resilience.RetryBudget;
import dev.resilience.RetryDefaults;
import dev.resilience.RetryPolicy;
import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import dev.resilience.spring.GuardedMethod;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.springframework.core.KotlinDetector;

/**
 * Resolves and checks what the annotations of a method say: its retry policy, its breaker and that breaker's
 * budget, its fallback, and what kind of result it returns ({@link ReturnKinds}). Every failure names the method,
 * the value and the fix. Thread-safe.
 */
final class MethodSpecs {

    private final BreakerSource breakers;
    private final RetryDefaults retryDefaults;
    private final Function<String, Optional<RetryBudget>> budgets;
    private final UnaryOperator<String> placeholders;

    MethodSpecs(BreakerSource breakers, RetryDefaults retryDefaults, Function<String, Optional<RetryBudget>> budgets,
            UnaryOperator<String> placeholders) {
        this.breakers = breakers;
        this.retryDefaults = retryDefaults;
        this.budgets = budgets;
        this.placeholders = placeholders;
    }

    /** Resolves the {@code ${...}} placeholders of an attribute; an unresolvable one fails naming the method. */
    private String resolved(String text, String attribute, String tag) {
        if (!text.contains("${")) {
            return text;
        }
        try {
            return placeholders.apply(text);
        } catch (IllegalArgumentException unresolvable) {
            throw new InvalidGuardedMethodException(attribute + " on " + tag + " is \"" + text + "\", but its"
                    + " placeholder cannot be resolved: " + unresolvable.getMessage() + ".",
                    "Define the property in the application's configuration, give the placeholder a default such"
                            + " as ${payments.retry-delay:200ms}, or write the value itself in " + attribute + " on "
                            + tag + ".");
        }
    }

    /** Resolves what the annotations of one method say, after checking that a proxy can intercept it. */
    MethodSpec spec(MethodAnnotations.Found found, Class<?> userClass) {
        checkProxyable(userClass, found);
        Method specific = found.method();
        Retry retry = found.retry();
        Breaker breaker = found.breaker();
        String tag = MethodAnnotations.tag(userClass, specific);
        MethodSpec.Returns returns = ReturnKinds.of(specific, tag, found.annotations());
        RetryPolicy policy = retry == null ? RetryPolicy.none() : policy(retry, tag);
        CircuitBreaker circuitBreaker = breaker == null ? null : breaker(breaker, tag);
        RetryBudget budget = circuitBreaker == null ? null : budgets.apply(circuitBreaker.name()).orElse(null);
        FallbackMethod fallback = found.fallback() == null ? null : fallback(found, userClass, tag);
        GuardedMethod method = new GuardedMethod(tag,
                circuitBreaker == null ? GuardedMethod.NO_BREAKER : circuitBreaker.name(), specific, userClass);
        return new MethodSpec(method, policy, circuitBreaker, budget, fallback, returns);
    }

    /** A suspend function's fallback would be called with the caller's continuation, outside Spring's adaptation. */
    private static FallbackMethod fallback(MethodAnnotations.Found found, Class<?> userClass, String tag) {
        Method specific = found.method();
        if (KotlinDetector.isSuspendingFunction(specific)) {
            throw new InvalidGuardedMethodException("@Fallback on " + tag + " cannot answer for it: " + tag
                    + " is a Kotlin suspend function, and a fallback runs outside Spring's adaptation of suspend"
                    + " functions.",
                    "Catch the failure in the caller of " + tag + ", or declare " + tag
                            + " to return Mono<T> with a fallback that returns Mono<T>.");
        }
        return FallbackMethod.resolve(specific, userClass, found.fallback(), tag);
    }

    private RetryPolicy policy(Retry retry, String tag) {
        try {
            return RetryPolicy.from(retry, retryDefaults, text -> resolved(text, "@Retry", tag));
        } catch (InvalidSettingException ex) {
            throw new InvalidGuardedMethodException("@Retry on " + tag + " has " + ex.setting() + " = "
                    + ex.value() + ", but " + ex.setting() + " must be " + ex.allowed() + ".",
                    retryAction(ex, tag));
        }
    }

    private static String retryAction(InvalidSettingException ex, String tag) {
        return switch (ex.setting()) {
            case "maxAttempts" -> "Set maxAttempts of @Retry on " + tag
                    + " to 1 or more (it counts every attempt, the first included; 1 means no retry).";
            case "delay", "maxDelay", "maxDuration" -> ex.allowed().startsWith("a duration")
                    ? "Write " + ex.setting() + " of @Retry on " + tag + " as " + ex.allowed()
                            + ", or leave it empty for the default."
                    : "Set " + ex.setting() + " of @Retry on " + tag + " to a value that is " + ex.allowed()
                            + ", or leave it empty for the default.";
            default -> "Set " + ex.setting() + " of @Retry on " + tag + " to a value that is " + ex.allowed() + ".";
        };
    }

    private CircuitBreaker breaker(Breaker breaker, String tag) {
        String name = resolved(breaker.value(), "@Breaker", tag);
        if (name.isBlank()) {
            throw new InvalidGuardedMethodException("@Breaker on " + tag + " has a blank name \"" + name
                    + "\", but a breaker's name must not be blank.",
                    "Name the dependency that " + tag + " calls, such as @Breaker(\"payments\"), and declare it"
                            + " under resilience.breaker.instances.payments.");
        }
        return breakers.breaker(name, tag);
    }

    static void checkProxyable(Class<?> userClass, MethodAnnotations.Found found) {
        Method method = found.method();
        String tag = MethodAnnotations.tag(userClass, method);
        String where = found.where();
        int modifiers = method.getModifiers();
        String reason = null;
        if (Modifier.isPrivate(modifiers)) {
            reason = "private";
        } else if (Modifier.isStatic(modifiers)) {
            reason = "static";
        } else if (Modifier.isFinal(modifiers)) {
            reason = "final";
        }
        if (reason != null) {
            throw new InvalidGuardedMethodException("@Retry/@Breaker " + where + " would have no effect: " + tag
                    + " is " + reason + ", and Spring's proxies intercept only methods that are not private,"
                    + " static or final.",
                    "Make " + tag + " an instance method that is not private or final (public, to be called from"
                            + " other beans), or remove the annotation from it.");
        }
        if (Modifier.isFinal(userClass.getModifiers())) {
            throw new InvalidGuardedMethodException("@Retry/@Breaker " + where + " would have no effect: class "
                    + userClass.getName() + " is final, so Spring cannot proxy it.",
                    "Remove final from class " + userClass.getName() + ", or remove the annotation.");
        }
    }
}
