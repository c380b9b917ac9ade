package dev.resilience.sample.prices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

import dev.resilience.BreakerOpenException;
import dev.resilience.BreakerState;
import dev.resilience.spring.boot.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.boot.metrics.ResilienceMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.ResourceAccessException;

/** The checkout's last-known-price @Fallback, through the starter's real proxy. */
class PriceCatalogTests {

    private final PriceClient client = mock(PriceClient.class);
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class,
                    ResilienceMetricsAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withPropertyValues("resilience.breaker.require-declared=false") // the mock client's @Breaker("prices")
            .withBean(PriceClient.class, () -> client)
            .withBean(PriceCatalog.class);

    private static double fallbacks(MeterRegistry meters) {
        return meters.get("resilience.fallbacks").tags("method", "PriceCatalog.quote", "outcome", "success")
                .counter().count();
    }

    @Test
    void aLivePriceIsNotStale() {
        given(client.price("mug-7")).willReturn(new Price("mug-7", 450, "EUR"));

        runner.run(context -> {
            assertThat(context.getBean(PriceCatalog.class).quote("mug-7"))
                    .isEqualTo(new Quote("mug-7", 450, "EUR", false));
            assertThat(fallbacks(context.getBean(MeterRegistry.class))).isZero();
        });
    }

    @Test
    void whenTheBreakerRejectsTheLastKnownPriceIsServedAsStale() {
        given(client.price("mug-7")).willReturn(new Price("mug-7", 450, "EUR"))
                .willThrow(new BreakerOpenException("prices", BreakerState.OPEN, 1_000, null));

        runner.run(context -> {
            PriceCatalog catalog = context.getBean(PriceCatalog.class);
            catalog.quote("mug-7");

            assertThat(catalog.quote("mug-7")).isEqualTo(new Quote("mug-7", 450, "EUR", true));
            assertThat(fallbacks(context.getBean(MeterRegistry.class))).isEqualTo(1.0);
        });
    }

    @Test
    void withNoKnownPriceTheFailureReachesTheCaller() {
        ResourceAccessException timeout = new ResourceAccessException("timed out");
        given(client.price("lamp-11")).willThrow(timeout);

        runner.run(context -> {
            assertThatThrownBy(() -> context.getBean(PriceCatalog.class).quote("lamp-11")).isSameAs(timeout);
            assertThat(timeout.getSuppressed()).as("the fallback rethrew the very failure").isEmpty();
        });
    }

    @Test
    void anArticleThePricesServiceNoLongerKnowsIsNotSoldAtItsLastKnownPrice() {
        HttpClientErrorException notFound = HttpClientErrorException.create(HttpStatus.NOT_FOUND, "Not Found",
                HttpHeaders.EMPTY, new byte[0], StandardCharsets.UTF_8);
        given(client.price("mug-7")).willReturn(new Price("mug-7", 450, "EUR")).willThrow(notFound);

        runner.run(context -> {
            PriceCatalog catalog = context.getBean(PriceCatalog.class);
            catalog.quote("mug-7");

            assertThatThrownBy(() -> catalog.quote("mug-7")).isSameAs(notFound);
            assertThat(fallbacks(context.getBean(MeterRegistry.class))).isZero();
        });
    }

    @Test
    void aBugInTheCheckoutIsNotHiddenBehindTheLastKnownPrice() {
        IllegalStateException bug = new IllegalStateException("a bug, not an outage");
        given(client.price("mug-7")).willReturn(new Price("mug-7", 450, "EUR")).willThrow(bug);

        runner.run(context -> {
            PriceCatalog catalog = context.getBean(PriceCatalog.class);
            catalog.quote("mug-7");

            assertThatThrownBy(() -> catalog.quote("mug-7")).isSameAs(bug);
        });
    }

    @Test
    void whenThePricesServiceCannotBeReachedTheLastKnownPriceIsServedAsStale() {
        given(client.price("mug-7")).willReturn(new Price("mug-7", 450, "EUR"))
                .willThrow(new ResourceAccessException("I/O error", new ConnectException()));

        runner.run(context -> {
            PriceCatalog catalog = context.getBean(PriceCatalog.class);
            catalog.quote("mug-7");

            assertThat(catalog.quote("mug-7")).isEqualTo(new Quote("mug-7", 450, "EUR", true));
        });
    }
}
