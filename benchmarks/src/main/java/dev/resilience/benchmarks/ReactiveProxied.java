package dev.resilience.benchmarks;

import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
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
import org.reactivestreams.Subscription;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.resilience.annotation.EnableResilientMethods;
import org.springframework.resilience.annotation.Retryable;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * The success path of an annotated bean method that returns a {@code Mono}, called through its Spring proxy and
 * subscribed to, as a WebFlux application does: ours ({@code @Breaker} + {@code @Retry}, one operation per
 * subscription), Resilience4j's ({@code @CircuitBreaker} + {@code @Retry}, whose aspects apply its Reactor operators
 * to a Mono), Spring Framework 7's {@code @Retryable} alone (a {@code retryWhen} on the Mono), and the bean
 * unproxied. Each op calls the method and subscribes once, with one reused subscriber that requests everything (the
 * Mono completes during the subscription); the method returns a Mono held in a field. Same breaker and retry
 * settings as {@link Proxied}, no {@code MeterRegistry}; each setup checks that its bean is a proxy whose advice
 * runs at subscription, and that the subscription reached the breaker.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
public class ReactiveProxied {

    @Benchmark
    public Integer unproxiedMono(Unproxied state) {
        return state.take.from(state.client.call());
    }

    @Benchmark
    public Integer ourAnnotationsOnMono(Ours state) {
        return state.take.from(state.client.call());
    }

    @Benchmark
    public Integer r4jAnnotationsOnMono(R4j state) {
        return state.take.from(state.client.call());
    }

    @Benchmark
    public Integer springRetryableOnMono(SpringRetry state) {
        return state.take.from(state.client.call());
    }

    /** The bean without a proxy, its Mono subscribed to: the floor of every row. */
    @State(Scope.Benchmark)
    public static class Unproxied {

        final Take take = new Take();
        PlainClient client;

        @Setup
        public void start() {
            client = new PlainClient();
            Checks.state(take.from(client.call()) == 42, "the unproxied Mono must answer 42");
        }
    }

    @State(Scope.Benchmark)
    public static class Ours {

        final Take take = new Take();
        ConfigurableApplicationContext context;
        OurClient client;

        @Setup
        public void start() {
            context = Proxied.startApp(OursApp.class,
                    "resilience.breaker.instances.bench.window-size=" + Contenders.WINDOW,
                    "resilience.breaker.instances.bench.minimum-calls=" + Contenders.WINDOW,
                    "resilience.breaker.instances.bench.failure-rate-threshold=" + Contenders.FAILURE_RATE,
                    "resilience.breaker.instances.bench.open-duration=60s",
                    "resilience.breaker.instances.bench.half-open-probes=" + Contenders.PROBES,
                    "resilience.retry.defaults.delay=100ms");
            client = context.getBean(OurClient.class);
            Proxied.checkProxied(client, "ours");
            Mono<Integer> mono = client.call();
            long before = buffered();
            Checks.state(before == 0, "our breaker must hold no call before the first subscription, but holds "
                    + before);
            Checks.state(take.from(mono) == 42, "our guarded Mono must answer 42");
            Checks.state(buffered() == 1, "our breaker 'bench' must have counted the setup's subscription, but holds "
                    + buffered() + " calls");
        }

        private long buffered() {
            return context.getBean(BreakerRegistry.class).breaker("bench").snapshot().bufferedCalls();
        }

        @TearDown
        public void stop() {
            context.close();
        }
    }

    @State(Scope.Benchmark)
    public static class R4j {

        final Take take = new Take();
        ConfigurableApplicationContext context;
        R4jClient client;

        @Setup
        public void start() {
            context = Proxied.startApp(R4jApp.class,
                    "resilience4j.circuitbreaker.instances.bench.sliding-window-type=COUNT_BASED",
                    "resilience4j.circuitbreaker.instances.bench.sliding-window-size=" + Contenders.WINDOW,
                    "resilience4j.circuitbreaker.instances.bench.minimum-number-of-calls=" + Contenders.WINDOW,
                    "resilience4j.circuitbreaker.instances.bench.failure-rate-threshold=" + Contenders.FAILURE_RATE,
                    "resilience4j.circuitbreaker.instances.bench.wait-duration-in-open-state=60s",
                    "resilience4j.circuitbreaker.instances.bench.permitted-number-of-calls-in-half-open-state="
                            + Contenders.PROBES,
                    "resilience4j.retry.instances.bench.max-attempts=" + Contenders.ATTEMPTS,
                    "resilience4j.retry.instances.bench.wait-duration=100ms");
            client = context.getBean(R4jClient.class);
            Proxied.checkProxied(client, "Resilience4j's");
            Checks.state(take.from(client.call()) == 42, "Resilience4j's guarded Mono must answer 42");
            int buffered = context.getBean(CircuitBreakerRegistry.class).circuitBreaker("bench").getMetrics()
                    .getNumberOfBufferedCalls();
            Checks.state(buffered == 1, "Resilience4j's breaker 'bench' must have counted the setup's subscription,"
                    + " but holds " + buffered + " calls");
        }

        @TearDown
        public void stop() {
            context.close();
        }
    }

    @State(Scope.Benchmark)
    public static class SpringRetry {

        final Take take = new Take();
        ConfigurableApplicationContext context;
        SpringRetryClient client;

        @Setup
        public void start() {
            context = Proxied.startApp(SpringRetryApp.class);
            client = context.getBean(SpringRetryClient.class);
            Proxied.checkProxied(client, "Spring's @Retryable");
            Mono<Integer> mono = client.call();
            Checks.state(mono != SpringRetryClient.VALUE, "Spring's @Retryable must decorate the Mono, but the"
                    + " proxy returned the bean's own");
            Checks.state(take.from(mono) == 42, "Spring's retried Mono must answer 42");
        }

        @TearDown
        public void stop() {
            context.close();
        }
    }

    /**
     * Subscribes, requests everything, and keeps the value; reused by one benchmark thread, since each Mono here
     * completes while it is being subscribed to.
     */
    static final class Take implements CoreSubscriber<Integer> {

        private Integer value;
        private Throwable failure;

        Integer from(Mono<Integer> mono) {
            value = null;
            mono.subscribe(this);
            if (value == null) {
                throw new IllegalStateException("the Mono did not answer during its subscription", failure);
            }
            return value;
        }

        @Override
        public void onSubscribe(Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(Integer next) {
            value = next;
        }

        @Override
        public void onError(Throwable error) {
            failure = error;
        }

        @Override
        public void onComplete() {
        }
    }

    public static class PlainClient {

        private final Mono<Integer> value = Mono.just(42);

        public Mono<Integer> call() {
            return value;
        }
    }

    public static class OurClient {

        private final Mono<Integer> value = Mono.just(42);

        @Breaker("bench")
        @Retry(maxAttempts = 3, idempotent = true)
        public Mono<Integer> call() {
            return value;
        }
    }

    public static class R4jClient {

        private final Mono<Integer> value = Mono.just(42);

        @CircuitBreaker(name = "bench")
        @io.github.resilience4j.retry.annotation.Retry(name = "bench")
        public Mono<Integer> call() {
            return value;
        }
    }

    public static class SpringRetryClient {

        static final Mono<Integer> VALUE = Mono.just(42);

        @Retryable(maxRetries = 2, delay = 100)
        public Mono<Integer> call() {
            return VALUE;
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
    @EnableResilientMethods
    static class SpringRetryApp {

        @Bean
        SpringRetryClient springRetryClient() {
            return new SpringRetryClient();
        }
    }
}
