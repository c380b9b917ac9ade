package dev.resilience.spring.boot.aot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.annotation.Fallback;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.javapoet.ClassName;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.util.ReflectionUtils;

class ResilienceAotHintsTests {

    @Test
    void bothAreRegisteredInAotFactories() {
        SpringFactoriesLoader aot = SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories");

        assertThat(aot.load(RuntimeHintsRegistrar.class)).hasAtLeastOneElementOfType(ResilienceRuntimeHints.class);
        assertThat(aot.load(BeanFactoryInitializationAotProcessor.class))
                .hasAtLeastOneElementOfType(ResilienceBeanFactoryInitializationAotProcessor.class);
    }

    @Test
    void theFailureAnalyzersOfSpringFactoriesCanBeCreatedReflectively() throws Exception {
        RuntimeHints hints = new RuntimeHints();

        new ResilienceRuntimeHints().registerHints(hints, getClass().getClassLoader());

        Properties factories = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src/main/resources/META-INF/spring.factories"))) {
            factories.load(in);
        }
        assertThat(factories.getProperty("org.springframework.boot.diagnostics.FailureAnalyzer").split(","))
                .as("every failure analyzer that spring.factories names").extracting(String::trim)
                .containsExactlyInAnyOrderElementsOf(ResilienceRuntimeHints.FAILURE_ANALYZERS);
        for (String analyzer : ResilienceRuntimeHints.FAILURE_ANALYZERS) {
            assertThat(RuntimeHintsPredicates.reflection()
                    .onConstructorInvocation(Class.forName(analyzer).getDeclaredConstructor())).accepts(hints);
        }
        assertThat(RuntimeHintsPredicates.reflection().onType(
                org.springframework.validation.method.MethodValidationException.class)).accepts(hints);
        assertThat(RuntimeHintsPredicates.resource().forResource(ResilienceRuntimeHints.DASHBOARD_PAGE))
                .accepts(hints);
    }

    @Test
    void everyExceptionClassNamedInThePropertiesIsRegistered() {
        RuntimeHints hints = processed(new MockEnvironment()
                .withProperty("resilience.breaker.defaults.record-exceptions", "java.io.IOException")
                .withProperty("resilience.breaker.defaults.ignore-exceptions[0]",
                        "java.util.concurrent.TimeoutException")
                .withProperty("resilience.breaker.instances.payments.record-exceptions",
                        "java.net.SocketTimeoutException")
                .withProperty("resilience.retry.never-sent-exceptions",
                        "java.nio.channels.ClosedChannelException"), Plain.class);

        for (Class<?> type : new Class<?>[] { IOException.class, TimeoutException.class,
                SocketTimeoutException.class, ClosedChannelException.class }) {
            assertThat(RuntimeHintsPredicates.reflection().onType(type)).as(type.getName()).accepts(hints);
        }
    }

    @Test
    void theFallbackMethodsOfTheBeansCanBeInvokedReflectively() {
        RuntimeHints hints = processed(new MockEnvironment(), Prices.class);

        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(method(Prices.class, "lastKnown")))
                .accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(method(Catalog.class, "cached")))
                .as("a fallback declared by a superclass").accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(method(Prices.class, "price")))
                .as("the guarded method itself is Spring AOP's business").rejects(hints);
    }

    @Test
    void anApplicationWithoutFallbacksOrExceptionPropertiesContributesNothing() {
        GenericApplicationContext context = context(new MockEnvironment(), Plain.class);

        assertThat(new ResilienceBeanFactoryInitializationAotProcessor()
                .processAheadOfTime(context.getBeanFactory())).isNull();
    }

    @Test
    void propertiesThatDoNotBindAreLeftToTheStartupReport() {
        RuntimeHints hints = processed(new MockEnvironment()
                .withProperty("resilience.breaker.defaults.record-exceptions", "com.example.NoSuchException"),
                Prices.class);

        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(method(Prices.class, "lastKnown")))
                .accepts(hints);
    }

    private static RuntimeHints processed(MockEnvironment environment, Class<?> bean) {
        GenericApplicationContext context = context(environment, bean);
        BeanFactoryInitializationAotContribution contribution = new ResilienceBeanFactoryInitializationAotProcessor()
                .processAheadOfTime(context.getBeanFactory());
        DefaultGenerationContext generation = new DefaultGenerationContext(
                new ClassNameGenerator(ClassName.get("com.example", "App")), new InMemoryGeneratedFiles());
        assertThat(contribution).isNotNull();
        contribution.applyTo(generation, null);
        return generation.getRuntimeHints();
    }

    private static GenericApplicationContext context(MockEnvironment environment, Class<?> bean) {
        GenericApplicationContext context = new GenericApplicationContext();
        context.setEnvironment(environment);
        context.registerBean(bean);
        context.getBeanFactory().registerSingleton("environment", environment);
        return context;
    }

    private static Method method(Class<?> type, String name) {
        Method found = ReflectionUtils.findMethod(type, name, (Class<?>[]) null);
        if (found == null) {
            for (Method method : ReflectionUtils.getAllDeclaredMethods(type)) {
                if (method.getName().equals(name)) {
                    return method;
                }
            }
        }
        return found;
    }

    static class Plain {
    }

    static class Catalog {

        String cached(String sku) {
            return "cached " + sku;
        }
    }

    static class Prices extends Catalog {

        @Fallback(method = "lastKnown")
        public String price(String sku) {
            return sku;
        }

        @Fallback(method = "cached")
        public String quote(String sku) {
            return sku;
        }

        private String lastKnown(String sku, Throwable failure) {
            return "last " + sku;
        }
    }
}
