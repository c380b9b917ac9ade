package dev.resilience.spring.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.resilience.BreakerOpenException;
import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.Retry;
import dev.resilience.spring.BreakerRegistry;
import dev.resilience.spring.boot.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.boot.metrics.ResilienceMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** @Fallback through the starter's real proxies: once per operation, outside the retry and the breaker. */
class FallbackThroughProxiesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class,
                    ResilienceMetricsAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withPropertyValues("resilience.breaker.instances.prices.window-size=10",
                    "resilience.breaker.instances.prices.minimum-calls=10",
                    "resilience.retry.defaults.delay=0ms");

    @Test
    void exhaustedRetriesGetTheFallbackOnceAfterEveryAttemptWasRecorded() {
        runner.withBean(PriceCatalog.class).run(context -> {
            PriceCatalog catalog = context.getBean(PriceCatalog.class);

            String price = catalog.price("sku-1");

            assertThat(price).isEqualTo("last known price of sku-1 (IOException)");
            assertThat(catalog.calls()).isEqualTo(2);
            assertThat(context.getBean(BreakerRegistry.class).breaker("prices").snapshot().failedCalls()).isEqualTo(2);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.get("resilience.fallbacks").tags("method", "PriceCatalog.price", "breaker", "prices",
                    "outcome", "success").counter().count()).isEqualTo(1);
            assertThat(meters.get("resilience.fallbacks").tags("outcome", "failure").counter().count()).isZero();
            assertThat(meters.get("resilience.operations").tags("method", "PriceCatalog.price", "outcome", "failure",
                    "retried", "true").timer().count()).as("the operation's own outcome").isEqualTo(1);
        });
    }

    @Test
    void aRejectionGetsTheFallbackWithTheRejectionWithoutCallingTheDependency() {
        runner.withBean(PriceCatalog.class).run(context -> {
            context.getBean(BreakerRegistry.class).breaker("prices").forceOpen();
            PriceCatalog catalog = context.getBean(PriceCatalog.class);

            assertThat(catalog.price("sku-2")).isEqualTo("last known price of sku-2 (BreakerOpenException)");
            assertThat(catalog.calls()).isZero();
        });
    }

    @Test
    void aPrivateFallbackWithoutAFailureParameterRunsOnTheTarget() {
        runner.withBean(StockLevels.class).run(context -> {
            StockLevels stock = context.getBean(StockLevels.class);

            assertThat(stock.level("sku-3")).isEqualTo(-1);
        });
    }

    @Test
    void applyOnIsMatchedOnTheCauseChainAndSkipOnWins() {
        runner.withBean(StockLevels.class).run(context -> {
            StockLevels stock = context.getBean(StockLevels.class);

            assertThat(stock.wrapped("sku")).isEqualTo("fallback got IOException");
            Throwable skipped = catchThrowable(() -> stock.skipped("sku"));
            assertThat(skipped).isInstanceOf(IllegalStateException.class);
        });
    }

    @Test
    void aThrowingFallbackGivesWhatItThrewWithTheFailureSuppressed() {
        runner.withBean(StockLevels.class).run(context -> {
            Throwable thrown = catchThrowable(() -> context.getBean(StockLevels.class).noCache("sku"));

            assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessage("no cached level");
            assertThat(thrown.getSuppressed()).singleElement().isInstanceOf(UncheckedIOException.class);
        });
    }

    @Test
    void aStageMethodsFallbackIsAStage() {
        runner.withBean(PriceCatalog.class).run(context -> {
            CompletableFuture<String> price = context.getBean(PriceCatalog.class).priceLater("sku-4")
                    .toCompletableFuture();

            assertThat(price.join()).isEqualTo("cached sku-4");
        });
    }

    @Test
    void fallbackAloneGuardsItsMethodWithoutABreaker() {
        runner.withBean(StockLevels.class).run(context -> {
            assertThat(context.getBean(StockLevels.class).alone("sku")).isEqualTo("alone: RuntimeException");
            assertThat(context.getBean(MeterRegistry.class).get("resilience.fallbacks")
                    .tags("method", "StockLevels.alone", "breaker", "none").counters()).hasSize(2);
        });
    }

    static class PriceCatalog {

        private final AtomicInteger calls = new AtomicInteger();

        int calls() {
            return calls.get();
        }

        @Breaker("prices")
        @Retry(maxAttempts = 2, idempotent = true)
        @Fallback(method = "lastKnownPrice", applyOn = {BreakerOpenException.class, IOException.class})
        public String price(String sku) throws IOException {
            calls.incrementAndGet();
            throw new IOException("503 from prices");
        }

        String lastKnownPrice(String sku, Exception failure) {
            return "last known price of " + sku + " (" + failure.getClass().getSimpleName() + ")";
        }

        @Breaker("prices")
        @Retry(maxAttempts = 2, idempotent = true)
        @Fallback(method = "cachedLater")
        public CompletionStage<String> priceLater(String sku) {
            return CompletableFuture.failedFuture(new IOException("503"));
        }

        CompletionStage<String> cachedLater(String sku) {
            return CompletableFuture.completedFuture("cached " + sku);
        }
    }

    static class StockLevels {

        @Breaker("prices")
        @Fallback(method = "unknown")
        public int level(String sku) {
            throw new IllegalStateException("stock is down");
        }

        private int unknown(String sku) {
            return -1;
        }

        @Breaker("prices")
        @Fallback(method = "named", applyOn = IOException.class, skipOn = IllegalStateException.class)
        public String wrapped(String sku) {
            throw new UncheckedIOException(new IOException("reset"));
        }

        @Breaker("prices")
        @Fallback(method = "named", applyOn = IOException.class, skipOn = IllegalStateException.class)
        public String skipped(String sku) {
            throw new IllegalStateException(new IOException("reset"));
        }

        String named(String sku, IOException failure) {
            return "fallback got " + failure.getClass().getSimpleName();
        }

        @Breaker("prices")
        @Fallback(method = "failing")
        public String noCache(String sku) {
            throw new UncheckedIOException(new IOException("reset"));
        }

        String failing(String sku) {
            throw new IllegalStateException("no cached level");
        }

        @Fallback(method = "aloneFallback")
        public String alone(String sku) {
            throw new RuntimeException("down");
        }

        String aloneFallback(String sku, Throwable failure) {
            return "alone: " + failure.getClass().getSimpleName();
        }
    }
}
