package dev.resilience.benchmarks;

import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import dev.resilience.spring.BreakerRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.resilience.annotation.EnableResilientMethods;
import org.springframework.resilience.annotation.Retryable;

/**
 * The success path of an annotated bean method called through its Spring proxy, as an application calls it: ours
 * ({@code @Breaker} + {@code @Retry}), Resilience4j's ({@code @CircuitBreaker} + {@code @Retry}, applied by its
 * aspects), Spring Framework 7's {@code @Retryable} alone, and the same bean unproxied. Each row starts its own
 * non-web Boot application once per trial, with the same breaker and retry settings as {@link Contenders}, and
 * checks at setup that its bean really is a proxy whose advice runs. No {@code MeterRegistry} is defined in the
 * main rows, so no library records metrics; the {@code WithMetrics} rows add a {@code SimpleMeterRegistry} bean, as
 * an application with Micrometer has, and each library records what it records by default.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
public class Proxied {

    @Benchmark
    public Integer unproxied(Unproxied state) {
        return state.client.call();
    }

    @Benchmark
    public Integer passThroughProxy(PassThrough state) {
        return state.client.call();
    }

    @Benchmark
    public Integer ourAnnotations(Ours state) {
        return state.client.call();
    }

    @Benchmark
    public Integer r4jAnnotations(R4j state) {
        return state.client.call();
    }

    @Benchmark
    public Integer ourAnnotationsWithMetrics(OursWithMetrics state) {
        return state.client.call();
    }

    @Benchmark
    public Integer r4jAnnotationsWithMetrics(R4jWithMetrics state) {
        return state.client.call();
    }

    @Benchmark
    public Integer springRetryable(SpringRetry state) {
        return state.client.call();
    }

    /** The bean without any proxy: the baseline of this group. */
    @State(Scope.Benchmark)
    public static class Unproxied {

        PlainClient client;

        @Setup
        public void start() {
            client = new PlainClient();
            Checks.state(!AopUtils.isAopProxy(client), "the unproxied client must not be a proxy");
        }
    }

    /** A proxy whose one interceptor only proceeds: what Spring's proxy costs by itself, the floor of every row. */
    @State(Scope.Benchmark)
    public static class PassThrough {

        ConfigurableApplicationContext context;
        PassThroughClient client;

        @Setup
        public void start() {
            context = startApp(PassThroughApp.class);
            client = context.getBean(PassThroughClient.class);
            checkProxied(client, "the pass-through");
            client.call();
            Proceed proceed = (Proceed) context.getBean("passThroughAdvisor", DefaultPointcutAdvisor.class).getAdvice();
            Checks.state(proceed.ran, "the pass-through interceptor must have run at setup, but did not");
        }

        @TearDown
        public void stop() {
            context.close();
        }
    }

    @State(Scope.Benchmark)
    public static class Ours {

        ConfigurableApplicationContext context;
        OurClient client;

        @Setup
        public void start() {
            context = startOurs(OursApp.class);
            client = context.getBean(OurClient.class);
        }

        @TearDown
        public void stop() {
            context.close();
        }
    }

    /** Ours with a {@code MeterRegistry}: every call records the contract's timers. */
    @State(Scope.Benchmark)
    public static class OursWithMetrics {

        ConfigurableApplicationContext context;
        OurClient client;

        @Setup
        public void start() {
            context = startOurs(OursWithMetricsApp.class);
            client = context.getBean(OurClient.class);
            long attempts = context.getBean(MeterRegistry.class).find("resilience.attempts").timers().stream()
                    .mapToLong(Timer::count).sum();
            Checks.state(attempts == 1, "our 'resilience.attempts' timers must have recorded the setup's call, but"
                    + " counted " + attempts);
        }

        @TearDown
        public void stop() {
            context.close();
        }
    }

    @State(Scope.Benchmark)
    public static class R4j {

        ConfigurableApplicationContext context;
        R4jClient client;

        @Setup
        public void start() {
            context = startR4j(R4jApp.class);
            client = context.getBean(R4jClient.class);
        }

        @TearDown
        public void stop() {
            context.close();
        }
    }

    /** Resilience4j with a {@code MeterRegistry}: it binds its meters to it. */
    @State(Scope.Benchmark)
    public static class R4jWithMetrics {

        ConfigurableApplicationContext context;
        R4jClient client;

        @Setup
        public void start() {
            context = startR4j(R4jWithMetricsApp.class);
            client = context.getBean(R4jClient.class);
            long meters = context.getBean(MeterRegistry.class).getMeters().stream()
                    .filter(meter -> meter.getId().getName().startsWith("resilience4j.")).count();
            Checks.state(meters > 0, "Resilience4j must have bound its meters to the MeterRegistry, but bound none");
        }

        @TearDown
        public void stop() {
            context.close();
        }
    }

    /** Starts our application, checks that its bean is proxied and that a call reaches the breaker. */
    static ConfigurableApplicationContext startOurs(Class<?> app) {
        ConfigurableApplicationContext context = startApp(app,
                "resilience.breaker.instances.bench.window-size=" + Contenders.WINDOW,
                "resilience.breaker.instances.bench.minimum-calls=" + Contenders.WINDOW,
                "resilience.breaker.instances.bench.failure-rate-threshold=" + Contenders.FAILURE_RATE,
                "resilience.breaker.instances.bench.open-duration=60s",
                "resilience.breaker.instances.bench.half-open-probes=" + Contenders.PROBES,
                "resilience.retry.defaults.delay=100ms");
        OurClient client = context.getBean(OurClient.class);
        checkProxied(client, "ours");
        client.call();
        long buffered = context.getBean(BreakerRegistry.class).breaker("bench").snapshot().bufferedCalls();
        Checks.state(buffered == 1, "our breaker 'bench' must have counted the setup's call, but holds "
                + buffered + " calls");
        return context;
    }

    /** Starts Resilience4j's application, checks that its bean is proxied and that a call reaches the breaker. */
    static ConfigurableApplicationContext startR4j(Class<?> app) {
        ConfigurableApplicationContext context = startApp(app,
                "resilience4j.circuitbreaker.instances.bench.sliding-window-type=COUNT_BASED",
                "resilience4j.circuitbreaker.instances.bench.sliding-window-size=" + Contenders.WINDOW,
                "resilience4j.circuitbreaker.instances.bench.minimum-number-of-calls=" + Contenders.WINDOW,
                "resilience4j.circuitbreaker.instances.bench.failure-rate-threshold=" + Contenders.FAILURE_RATE,
                "resilience4j.circuitbreaker.instances.bench.wait-duration-in-open-state=60s",
                "resilience4j.circuitbreaker.instances.bench.permitted-number-of-calls-in-half-open-state="
                        + Contenders.PROBES,
                "resilience4j.retry.instances.bench.max-attempts=" + Contenders.ATTEMPTS,
                "resilience4j.retry.instances.bench.wait-duration=100ms");
        R4jClient client = context.getBean(R4jClient.class);
        checkProxied(client, "Resilience4j's");
        client.call();
        int buffered = context.getBean(CircuitBreakerRegistry.class).circuitBreaker("bench").getMetrics()
                .getNumberOfBufferedCalls();
        Checks.state(buffered == 1, "Resilience4j's breaker 'bench' must have counted the setup's call, but"
                + " holds " + buffered + " calls");
        return context;
    }

    @State(Scope.Benchmark)
    public static class SpringRetry {

        ConfigurableApplicationContext context;
        SpringRetryClient client;

        @Setup
        public void start() {
            context = startApp(SpringRetryApp.class);
            client = context.getBean(SpringRetryClient.class);
            checkProxied(client, "Spring's @Retryable");
        }

        @TearDown
        public void stop() {
            context.close();
        }
    }

    static ConfigurableApplicationContext startApp(Class<?> app, String... properties) {
        return new SpringApplicationBuilder(app)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .properties("logging.level.root=WARN")
                .properties(properties)
                .run();
    }

    static void checkProxied(Object bean, String whose) {
        Checks.state(AopUtils.isAopProxy(bean), "the bean of " + whose + " row must be an AOP proxy, but is a "
                + bean.getClass().getName() + ": its annotations are not applied");
    }

    public static class PlainClient {

        private final Integer value = 42;

        public Integer call() {
            return value;
        }
    }

    public static class PassThroughClient {

        private final Integer value = 42;

        @PassThroughAdvised
        public Integer call() {
            return value;
        }
    }

    /** Marks the method of the pass-through row. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    public @interface PassThroughAdvised {
    }

    public static class OurClient {

        private final Integer value = 42;

        @Breaker("bench")
        @Retry(maxAttempts = 3, idempotent = true)
        public Integer call() {
            return value;
        }
    }

    public static class R4jClient {

        private final Integer value = 42;

        @CircuitBreaker(name = "bench")
        @io.github.resilience4j.retry.annotation.Retry(name = "bench")
        public Integer call() {
            return value;
        }
    }

    public static class SpringRetryClient {

        private final Integer value = 42;

        @Retryable(maxRetries = 2, delay = 100)
        public Integer call() {
            return value;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class PassThroughApp {

        @Bean
        PassThroughClient passThroughClient() {
            return new PassThroughClient();
        }

        @Bean
        static DefaultPointcutAdvisor passThroughAdvisor() {
            return new DefaultPointcutAdvisor(AnnotationMatchingPointcut.forMethodAnnotation(PassThroughAdvised.class),
                    new Proceed());
        }
    }

    /** Only proceeds; remembers that it ran, with a write the first time only. */
    static final class Proceed implements MethodInterceptor {

        private volatile boolean ran;

        @Override
        public Object invoke(MethodInvocation invocation) throws Throwable {
            if (!ran) {
                ran = true;
            }
            return invocation.proceed();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class OursApp {

        @Bean
        OurClient ourClient() {
            return new OurClient();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class R4jApp {

        @Bean
        R4jClient r4jClient() {
            return new R4jClient();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class OursWithMetricsApp {

        @Bean
        OurClient ourClient() {
            return new OurClient();
        }

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class R4jWithMetricsApp {

        @Bean
        R4jClient r4jClient() {
            return new R4jClient();
        }

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @EnableResilientMethods
    static class SpringRetryApp {

        @Bean
        SpringRetryClient springRetryClient() {
            return new SpringRetryClient();
        }
    }
}
