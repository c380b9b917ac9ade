package dev.resilience.benchmarks;

import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.spring.BreakerRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A rejection answered by a fallback, through each library's Spring annotations: our {@code @Breaker} with
 * {@code @Fallback} (resolved at startup) against Resilience4j's {@code @CircuitBreaker(fallbackMethod = ...)}
 * (resolved at call time), each breaker forced open. Each setup checks that the call is rejected and answered by
 * the fallback, and that our rejection filled no stack trace.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
public class FallbackOnRejection {

    static final Integer FALLBACK = -1;

    @Benchmark
    public Integer ourFallback(Ours state) {
        return state.client.call();
    }

    @Benchmark
    public Integer r4jFallbackMethod(R4j state) {
        return state.client.call();
    }

    @State(Scope.Benchmark)
    public static class Ours {

        ConfigurableApplicationContext context;
        OurFallbackClient client;

        @Setup
        public void start() {
            context = Proxied.startApp(OursApp.class, "resilience.breaker.instances.bench.window-size=100");
            client = context.getBean(OurFallbackClient.class);
            Proxied.checkProxied(client, "ours");
            context.getBean(BreakerRegistry.class).breaker("bench").forceOpen();
            Checks.state(FALLBACK.equals(client.call()), "our rejected call must be answered by the fallback");
            Throwable rejection = client.lastFailure(); // the fallback ran on the target: ask it through the proxy
            Checks.state(rejection.getStackTrace().length == 0,
                    "our rejection must fill no stack trace, but has " + rejection.getStackTrace().length + " frames");
        }

        @TearDown
        public void stop() {
            context.close();
        }
    }

    @State(Scope.Benchmark)
    public static class R4j {

        ConfigurableApplicationContext context;
        R4jFallbackClient client;

        @Setup
        public void start() {
            context = Proxied.startApp(R4jApp.class);
            client = context.getBean(R4jFallbackClient.class);
            Proxied.checkProxied(client, "Resilience4j's");
            context.getBean(CircuitBreakerRegistry.class).circuitBreaker("bench").transitionToForcedOpenState();
            Checks.state(FALLBACK.equals(client.call()), "Resilience4j's rejected call must be answered by the"
                    + " fallback method");
        }

        @TearDown
        public void stop() {
            context.close();
        }
    }

    public static class OurFallbackClient {

        private volatile Throwable lastFailure;
        private final Integer value = 42;

        Throwable lastFailure() {
            return lastFailure;
        }

        @Breaker("bench")
        @Fallback(method = "cached")
        public Integer call() {
            return value;
        }

        Integer cached(Throwable failure) {
            lastFailure = failure;
            return FALLBACK;
        }
    }

    public static class R4jFallbackClient {

        private final Integer value = 42;

        @CircuitBreaker(name = "bench", fallbackMethod = "cached")
        public Integer call() {
            return value;
        }

        Integer cached(Throwable failure) {
            return FALLBACK;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class OursApp {

        @Bean
        OurFallbackClient ourFallbackClient() {
            return new OurFallbackClient();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class R4jApp {

        @Bean
        R4jFallbackClient r4jFallbackClient() {
            return new R4jFallbackClient();
        }
    }
}
