package dev.resilience.sample;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CheckoutPropertiesTests {

    private static final URI PAYMENTS = URI.create("http://127.0.0.1:9081");
    private static final URI PRICES = URI.create("http://127.0.0.1:9082");

    @Test
    void aConnectTimeoutNotShorterThanTheReadTimeoutIsRefusedNamingBoth() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new CheckoutProperties(PAYMENTS, PRICES, Duration.ofSeconds(2), Duration.ofSeconds(2)))
                .withMessage("'checkout.connect-timeout' must be positive and shorter than 'checkout.read-timeout' (PT2S), but was PT2S");
    }

    @Test
    void aMissingUrlIsRefusedNamingTheProperties() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new CheckoutProperties(null, PRICES, Duration.ofMillis(500), Duration.ofSeconds(2)))
                .withMessage("'checkout.payments-url' and 'checkout.prices-url' must be set, but were null and "
                        + "http://127.0.0.1:9082; the stand-ins of the profile 'demo' listen by default on http://127.0.0.1:9081 "
                        + "and http://127.0.0.1:9082");
    }
}
