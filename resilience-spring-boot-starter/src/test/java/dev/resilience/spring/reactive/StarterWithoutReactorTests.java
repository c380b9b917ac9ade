package dev.resilience.spring.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import dev.resilience.spring.boot.autoconfigure.ResilienceAutoConfiguration;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Reactor stays optional: an application whose class path has no Reactor, no Reactive Streams and no Kotlin
 * coroutines starts, and its plain and {@code CompletionStage} methods are guarded. The application runs in a class
 * loader of its own, made of this test's class path without those jars.
 */
class StarterWithoutReactorTests {

    private static final List<String> LEFT_OUT = List.of("reactor-core", "reactive-streams", "reactor-test",
            "kotlinx-coroutines", "reactor-netty");

    @Test
    void theStarterWorksWithoutReactorOnTheClassPath() throws Exception {
        try (URLClassLoader isolated = new URLClassLoader(classPathWithout(LEFT_OUT),
                ClassLoader.getPlatformClassLoader())) {
            Class<?> app = Class.forName(WithoutReactor.class.getName(), true, isolated);
            var constructor = app.getDeclaredConstructor();
            constructor.setAccessible(true);
            @SuppressWarnings("unchecked")
            Callable<String> run = (Callable<String>) constructor.newInstance();
            ClassLoader previous = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(isolated); // Spring's factories are found through it
            try {
                assertThat(run.call()).isEqualTo("no Reactor; charged, charged later, 3 calls, 2 retried");
            } finally {
                Thread.currentThread().setContextClassLoader(previous);
            }
        }
    }

    private static URL[] classPathWithout(List<String> leftOut) throws IOException {
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        for (String entry : path.split(File.pathSeparator)) {
            if (!entry.isBlank() && leftOut.stream().noneMatch(entry::contains)) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        return urls.toArray(URL[]::new);
    }

    /** Runs inside the isolated class loader. */
    static final class WithoutReactor implements Callable<String> {

        @Override
        public String call() throws Exception {
            try {
                Class.forName("reactor.core.publisher.Mono");
                return "Reactor is on the class path";
            } catch (ClassNotFoundException expected) {
                // as intended
            }
            try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                    .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF).logStartupInfo(false)
                    .properties("resilience.breaker.require-declared=false", "resilience.retry.defaults.delay=1ms")
                    .run()) {
                Client client = context.getBean(Client.class);
                String charged = client.charge();
                String later = client.chargeLater().toCompletableFuture().get();
                return "no Reactor; " + charged + ", " + later + ", " + client.calls() + " calls, "
                        + client.failures() + " retried";
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ResilienceAutoConfiguration.class)
    static class App {

        @Bean
        Client client() {
            return new Client();
        }
    }

    @Breaker("payments")
    static class Client {

        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();

        @Retry(maxAttempts = 3, idempotent = true)
        public String charge() throws IOException {
            calls.incrementAndGet();
            if (failures.get() < 2) {
                failures.incrementAndGet();
                throw new IOException("down");
            }
            return "charged";
        }

        int calls() {
            return calls.get();
        }

        int failures() {
            return failures.get();
        }

        public CompletionStage<String> chargeLater() {
            return CompletableFuture.completedFuture("charged later");
        }
    }
}
