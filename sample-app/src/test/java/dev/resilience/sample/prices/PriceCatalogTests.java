package dev.resilience.sample.prices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

import dev.resilience.BreakerOpenException;
import dev.resilience.BreakerState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.ResourceAccessException;

class PriceCatalogTests {

    private final PriceClient client = mock(PriceClient.class);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final PriceCatalog catalog = new PriceCatalog(client, meters);

    @Test
    void aLivePriceIsNotStale() {
        // given
        given(client.price("mug-7")).willReturn(new Price("mug-7", 450, "EUR"));

        // when / then
        assertThat(catalog.quote("mug-7")).isEqualTo(new Quote("mug-7", 450, "EUR", false));
        assertThat(meters.counter("checkout.price.fallbacks").count()).isZero();
    }

    @Test
    void whenTheBreakerRejectsTheLastKnownPriceIsServedAsStale() {
        // given
        given(client.price("mug-7")).willReturn(new Price("mug-7", 450, "EUR"))
                .willThrow(new BreakerOpenException("prices", BreakerState.OPEN, 1_000, null));
        catalog.quote("mug-7");

        // when
        Quote quote = catalog.quote("mug-7");

        // then
        assertThat(quote).isEqualTo(new Quote("mug-7", 450, "EUR", true));
        assertThat(meters.counter("checkout.price.fallbacks").count()).isEqualTo(1.0);
    }

    @Test
    void withNoKnownPriceTheFailureReachesTheCaller() {
        // given
        ResourceAccessException timeout = new ResourceAccessException("timed out");
        given(client.price("lamp-11")).willThrow(timeout);

        // when / then
        assertThatThrownBy(() -> catalog.quote("lamp-11")).isSameAs(timeout);
        assertThat(meters.counter("checkout.price.fallbacks").count()).isZero();
    }

    @Test
    void anArticleThePricesServiceNoLongerKnowsIsNotSoldAtItsLastKnownPrice() {
        // given
        HttpClientErrorException notFound = HttpClientErrorException.create(HttpStatus.NOT_FOUND, "Not Found",
                HttpHeaders.EMPTY, new byte[0], StandardCharsets.UTF_8);
        given(client.price("mug-7")).willReturn(new Price("mug-7", 450, "EUR")).willThrow(notFound);
        catalog.quote("mug-7");

        // when / then
        assertThatThrownBy(() -> catalog.quote("mug-7")).isSameAs(notFound);
        assertThat(meters.counter("checkout.price.fallbacks").count()).isZero();
    }

    @Test
    void aBugInTheCheckoutIsNotHiddenBehindTheLastKnownPrice() {
        // given
        IllegalStateException bug = new IllegalStateException("a bug, not an outage");
        given(client.price("mug-7")).willReturn(new Price("mug-7", 450, "EUR")).willThrow(bug);
        catalog.quote("mug-7");

        // when / then
        assertThatThrownBy(() -> catalog.quote("mug-7")).isSameAs(bug);
        assertThat(meters.counter("checkout.price.fallbacks").count()).isZero();
    }

    @Test
    void whenThePricesServiceCannotBeReachedTheLastKnownPriceIsServedAsStale() {
        // given
        given(client.price("mug-7")).willReturn(new Price("mug-7", 450, "EUR"))
                .willThrow(new ResourceAccessException("I/O error", new ConnectException()));
        catalog.quote("mug-7");

        // when / then
        assertThat(catalog.quote("mug-7")).isEqualTo(new Quote("mug-7", 450, "EUR", true));
        assertThat(meters.counter("checkout.price.fallbacks").count()).isEqualTo(1.0);
    }
}
