package dev.resilience.spring.boot.aot;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * What the starter itself reflects on, for an AOT-processed or native application: its failure analyzers (created
 * by {@code spring.factories}), the optional types it looks up by name (the validation refusals it never counts,
 * the reactive and WebClient types, Micrometer's context-propagation, SLF4J's MDC), and the operator's page it
 * reads from the classpath. What depends on the application (exception classes named in properties,
 * {@code @Fallback} methods) is registered by {@link ResilienceBeanFactoryInitializationAotProcessor}.
 */
public final class ResilienceRuntimeHints implements RuntimeHintsRegistrar {

    /** The failure analyzers that {@code META-INF/spring.factories} names. */
    static final List<String> FAILURE_ANALYZERS = List.of(
            "dev.resilience.spring.boot.autoconfigure.InvalidGuardedMethodFailureAnalyzer",
            "dev.resilience.spring.boot.autoconfigure.InvalidResiliencePropertyFailureAnalyzer",
            "dev.resilience.spring.boot.autoconfigure.ResilienceBindFailureAnalyzer");

    /** The types the starter looks up by name, each used only when it is present. */
    static final List<String> OPTIONAL_TYPES = List.of(
            "org.springframework.validation.method.MethodValidationException",
            "jakarta.validation.ConstraintViolationException",
            "org.reactivestreams.Publisher",
            "org.springframework.web.reactive.function.client.WebClientResponseException",
            "io.micrometer.context.ContextSnapshotFactory",
            "org.slf4j.MDC");

    /** The operator's page, read from the classpath. */
    static final String DASHBOARD_PAGE = "dev/resilience/spring/boot/dashboard/dashboard.html";

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        FAILURE_ANALYZERS.forEach(analyzer -> hints.reflection().registerType(TypeReference.of(analyzer),
                MemberCategory.INVOKE_DECLARED_CONSTRUCTORS));
        OPTIONAL_TYPES.forEach(type -> hints.reflection().registerTypeIfPresent(classLoader, type));
        hints.resources().registerPattern(DASHBOARD_PAGE);
    }
}
