package dev.resilience.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.CircuitBreaker;
import dev.resilience.annotation.Breaker;
import dev.resilience.spring.boot.autoconfigure.ResilienceAutoConfiguration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** {@code @Cacheable} on a guarded method: a cache hit is no attempt once the cache is ordered outside the guard. */
@ExtendWith(OutputCaptureExtension.class)
class CachedGuardedMethodsTests {

    private static final String WARNING = " is cached inside its guard";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class))
            .withPropertyValues("resilience.breaker.instances.prices.window-size=10",
                    "resilience.breaker.instances.prices.minimum-calls=10")
            .withBean(PriceCatalog.class);

    @Test
    void withBothAtTheirDefaultOrdersStartupWarnsOncePerCachedGuardedMethodNamingTheFix(CapturedOutput output) {
        runner.withUserConfiguration(DefaultOrderCaching.class).run(context -> {
            assertThat(context).hasNotFailed();

            assertThat(warnings(output, "PriceCatalog.price")).isEqualTo(1);
            assertThat(warnings(output, "PriceCatalog.name")).isEqualTo(1);
            assertThat(warnings(output, "PriceCatalog.stock")).as("not cached").isZero();
            assertThat(output.getAll()).contains("PriceCatalog.price is cached inside its guard: its cache advisor"
                    + " (@Cacheable, @CachePut or @CacheEvict) has order " + Ordered.LOWEST_PRECEDENCE
                    + ", not below the guard's order " + (Ordered.LOWEST_PRECEDENCE - 1000) + ",")
                    .contains("Set @EnableCaching(order = Ordered.LOWEST_PRECEDENCE - 1001) or lower");
        });
    }

    @Test
    void withBothAtTheirDefaultOrdersACacheHitIsAnAttempt() {
        runner.withUserConfiguration(DefaultOrderCaching.class).run(context -> {
            // when
            PriceCatalog catalog = context.getBean(PriceCatalog.class);
            catalog.price("ACME");
            catalog.price("ACME");

            // then: the cache answered the second call, inside the guard
            assertThat(catalog.calls()).isEqualTo(1);
            assertThat(context.getBean(BreakerRegistry.class).breaker("prices").snapshot().bufferedCalls())
                    .isEqualTo(2);
        });
    }

    @Test
    void aCacheHitIsNotAnAttemptWhenTheCacheIsOrderedOutsideTheGuard(CapturedOutput output) {
        runner.withUserConfiguration(OuterCaching.class).run(context -> {
            // given
            PriceCatalog catalog = context.getBean(PriceCatalog.class);
            CircuitBreaker breaker = context.getBean(BreakerRegistry.class).breaker("prices");

            // when
            String first = catalog.price("ACME");
            String second = catalog.price("ACME");

            // then: one attempt, and startup warned of nothing
            assertThat(first).isEqualTo(second).isEqualTo("ACME: 42");
            assertThat(catalog.calls()).isEqualTo(1);
            assertThat(breaker.snapshot().bufferedCalls()).isEqualTo(1);
            assertThat(output.getAll()).doesNotContain(WARNING);

            // when the breaker rejects, the cache still answers
            breaker.forceOpen();
            assertThat(catalog.price("ACME")).isEqualTo("ACME: 42");
            assertThat(breaker.snapshot().rejectedCalls()).isZero();
        });
    }

    private static int warnings(CapturedOutput output, String methodTag) {
        List<String> lines = output.getAll().lines().filter(line -> line.contains(methodTag + WARNING)).toList();
        assertThat(lines).allMatch(line -> line.contains("WARN"));
        return lines.size();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class DefaultOrderCaching {

        @Bean
        CacheManager cacheManager() {
            return new ConcurrentMapCacheManager();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableCaching(order = Ordered.LOWEST_PRECEDENCE - 2000)
    static class OuterCaching {

        @Bean
        CacheManager cacheManager() {
            return new ConcurrentMapCacheManager();
        }
    }

    @Breaker("prices")
    static class PriceCatalog {

        private final AtomicInteger calls = new AtomicInteger();

        @Cacheable("prices")
        public String price(String sku) {
            calls.incrementAndGet();
            return sku + ": 42";
        }

        @Cacheable("names")
        public String name(String sku) {
            return sku;
        }

        public int stock(String sku) {
            return 7;
        }

        int calls() {
            return calls.get();
        }
    }
}
