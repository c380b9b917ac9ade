package dev.resilience.spring.boot.observation;

import dev.resilience.annotation.Breaker;
import dev.resilience.spring.GuardedMethod;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;

/**
 * Wraps a call of a guarded method, outside the retry and the breaker, in one {@code resilience.operation}
 * observation: it starts before the first attempt, is current on the calling thread while the method runs (so that
 * the attempts' own observations, such as an HTTP client's, are its children, and {@link ObservationGuardListeners}
 * can add an event per retry), and stops when the method returns or throws, or, for a method returning a
 * {@link CompletionStage}, when that stage completes. The method's tags are resolved once per method.
 */
final class OperationObservationInterceptor implements MethodInterceptor {

    private final Supplier<ObservationRegistry> registry;
    private final Map<Class<?>, Map<Method, Tags>> tags = new ConcurrentHashMap<>();

    OperationObservationInterceptor(Supplier<ObservationRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        ObservationRegistry observations = registry.get();
        if (observations.isNoop()) {
            return invocation.proceed();
        }
        Method method = invocation.getMethod();
        Class<?> targetClass = invocation.getThis() == null ? method.getDeclaringClass()
                : AopUtils.getTargetClass(invocation.getThis());
        Tags methodTags = tags.computeIfAbsent(targetClass, key -> new ConcurrentHashMap<>())
                .computeIfAbsent(method, key -> Tags.of(method, targetClass));
        OperationContext context = new OperationContext(methodTags.method(), methodTags.breaker());
        Observation observation = Observation.createNotStarted(ResilienceObservation.NAME, () -> context,
                        observations)
                .lowCardinalityKeyValue(methodTags.methodKey())
                .lowCardinalityKeyValue(methodTags.breakerKey())
                .start();
        Object result;
        try (Observation.Scope scope = observation.openScope()) {
            result = invocation.proceed();
        } catch (Throwable failure) {
            stop(observation, context, failure);
            throw failure;
        }
        if (result instanceof CompletionStage<?> stage) {
            stage.whenComplete((value, failure) -> stop(observation, context, failure));
        } else {
            stop(observation, context, null);
        }
        return result;
    }

    private static void stop(Observation observation, OperationContext context, Throwable failure) {
        if (failure != null) {
            observation.error(ResilienceObservation.unwrap(failure));
        }
        String outcome = context.outcome(); // the guard's own verdict when it reported on this thread
        if (outcome == null) {
            outcome = ResilienceObservation.outcomeOf(failure);
            context.outcome(outcome);
        }
        observation.lowCardinalityKeyValue(KeyValue.of("outcome", outcome));
        if (context.attempts() > 0) {
            observation.highCardinalityKeyValue("attempts", Integer.toString(context.attempts()));
        }
        observation.stop();
    }

    /** The tags of one method, named as the starter names them in {@link GuardedMethod}. */
    record Tags(String method, String breaker, KeyValue methodKey, KeyValue breakerKey) {

        Tags(String method, String breaker) {
            this(method, breaker, KeyValue.of("method", method), KeyValue.of("breaker", breaker));
        }

        static Tags of(Method method, Class<?> targetClass) {
            Method specific = GuardedMethodPointcut.specific(method, targetClass);
            Class<?> userClass = GuardedMethodPointcut.userClass(specific, targetClass);
            Breaker breaker = GuardedMethodPointcut.effective(specific, userClass, Breaker.class);
            return new Tags(userClass.getSimpleName() + "." + specific.getName(),
                    breaker == null ? GuardedMethod.NO_BREAKER : breaker.value());
        }
    }
}
