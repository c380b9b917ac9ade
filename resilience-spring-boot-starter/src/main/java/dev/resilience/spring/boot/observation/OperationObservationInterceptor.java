package dev.resilience.spring.boot.observation;

import dev.resilience.spring.GuardedMethod;
import dev.resilience.spring.GuardedMethods;
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
import org.springframework.core.KotlinDetector;
import org.springframework.util.ClassUtils;

/**
 * Wraps a call of a guarded method, outside the retry and the breaker, in one {@code resilience.guarded.call}
 * observation: it starts before the first attempt, is current on the calling thread while the method runs (so that
 * the attempts' own observations, such as an HTTP client's, are its children, and {@link ObservationGuardListeners}
 * can add an event per retry), and stops when the method returns or throws, or, for a method returning a
 * {@link CompletionStage}, when that stage completes. A method returning a {@code Mono}, a {@code Flux} or a Kotlin
 * {@code Flow} (a {@code suspend} function included) gets one observation per subscription instead, each
 * subscription being one operation: see {@link ObservedPublishers}. Which method a call runs, and its tags, come from the
 * starter's {@link GuardedMethods}, asked once per method and bean class; a call then does two map lookups.
 */
final class OperationObservationInterceptor implements MethodInterceptor {

    private static final boolean REACTOR_PRESENT = ClassUtils.isPresent("reactor.core.publisher.Mono",
            OperationObservationInterceptor.class.getClassLoader());

    private final Supplier<OperationObservations> observations;
    private final Supplier<GuardedMethods> guardedMethods;
    private final Map<Class<?>, Map<Method, Tags>> tags = new ConcurrentHashMap<>();

    OperationObservationInterceptor(Supplier<OperationObservations> observations,
            Supplier<GuardedMethods> guardedMethods) {
        this.observations = observations;
        this.guardedMethods = guardedMethods;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        OperationObservations made = observations.get();
        ObservationRegistry registry = made.registry();
        if (registry.isNoop()) {
            return invocation.proceed();
        }
        Tags methodTags = tagsOf(invocation);
        if (methodTags == Tags.NOT_GUARDED) {
            return invocation.proceed();
        }
        if (methodTags.reactive()) {
            return ObservedPublishers.observe(invocation.proceed(), made, methodTags);
        }
        OperationContext context = methodTags.newContext();
        Observation observation = made.create(context, registry).start();
        Object result;
        try (Observation.Scope scope = observation.openScope()) {
            result = invocation.proceed();
        } catch (Throwable failure) {
            OperationObservations.stop(observation, context, failure);
            throw failure;
        }
        if (result instanceof CompletionStage<?> stage) {
            stage.whenComplete((value, failure) -> OperationObservations.stop(observation, context, failure));
        } else {
            OperationObservations.stop(observation, context, null);
        }
        return result;
    }

    /** The method's tags, keyed as the starter's interceptor keys its guards: by the target's class. */
    private Tags tagsOf(MethodInvocation invocation) {
        Method method = invocation.getMethod();
        Object target = invocation.getThis();
        Class<?> targetClass = target != null ? target.getClass() : method.getDeclaringClass();
        Map<Method, Tags> byMethod = tags.get(targetClass);
        Tags found = byMethod == null ? null : byMethod.get(method);
        if (found != null) {
            return found;
        }
        Tags resolved = guardedMethods.get().find(method, targetClass).map(Tags::of).orElse(Tags.NOT_GUARDED);
        Tags previous = tags.computeIfAbsent(targetClass, key -> new ConcurrentHashMap<>())
                .putIfAbsent(method, resolved);
        return previous != null ? previous : resolved;
    }

    /**
     * The tags of one method, as the starter names it in {@link GuardedMethod}, with their key values made once, and
     * whether it is observed per subscription ({@link ObservedPublishers}) rather than per call.
     */
    record Tags(String method, String breaker, KeyValue methodKey, KeyValue breakerKey, boolean reactive) {

        /** Marks a method that the starter does not guard: the call goes straight on. */
        static final Tags NOT_GUARDED = new Tags("", "", false);

        Tags(String method, String breaker, boolean reactive) {
            this(method, breaker, ResilienceObservationDocumentation.LowCardinalityKeys.METHOD.withValue(method),
                    ResilienceObservationDocumentation.LowCardinalityKeys.BREAKER.withValue(breaker), reactive);
        }

        OperationContext newContext() {
            return new OperationContext(method, breaker, methodKey, breakerKey);
        }

        static Tags of(GuardedMethod method) {
            return new Tags(method.methodTag(), method.breakerTag(), REACTOR_PRESENT && (KotlinDetector
                    .isSuspendingFunction(method.method()) || ObservedPublishers.isReactive(method.method()
                    .getReturnType())));
        }
    }
}
