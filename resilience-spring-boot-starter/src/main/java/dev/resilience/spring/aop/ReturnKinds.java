package dev.resilience.spring.aop;

import dev.resilience.spring.aop.MethodSpec.Returns;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.KotlinDetector;
import org.springframework.core.MethodParameter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.util.ClassUtils;

/**
 * Decides, once per method, what kind of result a guarded method returns, and refuses at startup any result that the
 * guard would record when it is returned rather than when it ends. Reactor and Kotlin are optional: their types are
 * compared by name, and Spring's {@link ReactiveAdapterRegistry} and {@link KotlinDetector} recognise the rest
 * (RxJava, Mutiny, {@code Future}, a {@code CompletableFuture} subclass, ...).
 *
 * <p>A Kotlin {@code suspend} function reaches the guard as the publisher Spring's AOP adapts it to (a {@code Mono} of
 * its result, or a {@code Flux} when it returns a {@code Flow}), which Spring does only with
 * {@code kotlinx-coroutines-reactor} on the classpath, the same class loader's that Spring's {@link AopUtils} sees.
 */
final class ReturnKinds {

    private static final String MONO = "reactor.core.publisher.Mono";
    private static final String FLUX = "reactor.core.publisher.Flux";
    private static final String FLOW = "kotlinx.coroutines.flow.Flow";
    private static final String PUBLISHER = "org.reactivestreams.Publisher";
    private static final String COROUTINES_REACTOR = "kotlinx.coroutines.reactor.MonoKt";
    private static final String COROUTINES_ARTIFACT = "org.jetbrains.kotlinx:kotlinx-coroutines-reactor";

    private ReturnKinds() {
    }

    /**
     * The kind of result of a method.
     *
     * @param annotations the annotations that guard it, for messages ({@code @Breaker})
     * @throws InvalidGuardedMethodException naming the method when its result cannot be guarded
     */
    static Returns of(Method method, String tag, String annotations) {
        if (KotlinDetector.isSuspendingFunction(method)) {
            return suspending(method, tag, annotations);
        }
        Class<?> type = method.getReturnType();
        if (type == CompletionStage.class || type == CompletableFuture.class) {
            return Returns.STAGE;
        }
        String name = type.getName();
        if (name.equals(MONO)) {
            return Returns.MONO;
        }
        if (name.equals(FLUX)) {
            return Returns.FLUX;
        }
        if (name.equals(FLOW)) {
            requireCoroutinesReactor(tag, annotations, "returns kotlinx.coroutines.flow.Flow");
            return Returns.FLOW;
        }
        if (CompletionStage.class.isAssignableFrom(type) || Future.class.isAssignableFrom(type)) {
            throw new InvalidGuardedMethodException(annotations + " on " + tag + " cannot guard its return type "
                    + name + ": only CompletionStage and CompletableFuture are recorded when they"
                    + " complete, and any other asynchronous result would be recorded when it is returned.",
                    "Declare " + tag + " to return CompletionStage<T> or CompletableFuture<T>, or a plain value.");
        }
        if (isPublisher(type) || ReactiveAdapterRegistry.getSharedInstance().getAdapter(type) != null) {
            throw new InvalidGuardedMethodException(annotations + " on " + tag + " cannot guard its return type "
                    + name + ": of the reactive types, only Reactor's Mono and Flux (and Kotlin's suspend"
                    + " functions and Flow) are recorded per subscription, and any other would be recorded when it"
                    + " is returned.",
                    "Declare " + tag + " to return Mono<T> or Flux<T> (convert with Mono.from or Flux.from, or"
                            + " Spring's ReactiveAdapterRegistry), or remove the annotation from it.");
        }
        return Returns.VALUE;
    }

    private static Returns suspending(Method method, String tag, String annotations) {
        requireCoroutinesReactor(tag, annotations, "is a Kotlin suspend function");
        if (!KotlinDetector.isKotlinReflectPresent()) {
            throw new InvalidGuardedMethodException(annotations + " on " + tag + " cannot guard it: " + tag
                    + " is a Kotlin suspend function, and Spring calls one through kotlin-reflect, which is not on"
                    + " the classpath.", "Add org.jetbrains.kotlin:kotlin-reflect to the application's dependencies.");
        }
        Class<?> returned = new MethodParameter(method, -1).getParameterType();
        return returned.getName().equals(FLOW) ? Returns.FLUX : Returns.MONO;
    }

    private static void requireCoroutinesReactor(String tag, String annotations, String what) {
        if (!ClassUtils.isPresent(COROUTINES_REACTOR, AopUtils.class.getClassLoader())) {
            throw new InvalidGuardedMethodException(annotations + " on " + tag + " cannot guard it: " + tag + " "
                    + what + ", which Spring adapts to a Mono or a Flux, and so the guard records when it ends, only"
                    + " with " + COROUTINES_ARTIFACT + " on the classpath; without it, the guard would record it"
                    + " when it suspends.",
                    "Add " + COROUTINES_ARTIFACT + " to the application's dependencies, or remove the annotation"
                            + " from " + tag + ".");
        }
    }

    /** Whether the type is a Reactive Streams publisher, compared by name: Reactor is not a dependency. */
    private static boolean isPublisher(Class<?> type) {
        return type.getName().equals(PUBLISHER) || ClassUtils.getAllInterfacesForClassAsSet(type).stream()
                .anyMatch(implemented -> implemented.getName().equals(PUBLISHER));
    }
}
