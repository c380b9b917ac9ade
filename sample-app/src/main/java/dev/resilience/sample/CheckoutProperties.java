package dev.resilience.sample;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the checkout service finds its dependencies and how long it waits for them.
 *
 * @param paymentsUrl base URL of the payments service ({@code POST /charges}, {@code GET /charges/{id}})
 * @param pricesUrl base URL of the prices service ({@code GET /prices/{sku}})
 * @param connectTimeout longest wait for a TCP connection; a connection that times out was never sent, so even
 *     a non-idempotent call is retried after it. Keep it shorter than {@code readTimeout}, which also covers
 *     connecting
 * @param readTimeout longest wait for a whole answer, connecting included
 */
@ConfigurationProperties("checkout")
public record CheckoutProperties(URI paymentsUrl, URI pricesUrl, @DefaultValue("1s") Duration connectTimeout,
        @DefaultValue("2s") Duration readTimeout) {

    public CheckoutProperties {
        if (paymentsUrl == null || pricesUrl == null) {
            throw new IllegalArgumentException("'checkout.payments-url' and 'checkout.prices-url' must be set, but were "
                    + paymentsUrl + " and " + pricesUrl + "; the stand-ins of the profile 'demo' listen by default on "
                    + "http://127.0.0.1:9081 and http://127.0.0.1:9082");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || connectTimeout.compareTo(readTimeout) >= 0) {
            throw new IllegalArgumentException("'checkout.connect-timeout' must be positive and shorter than "
                    + "'checkout.read-timeout' (" + readTimeout + "), but was " + connectTimeout);
        }
    }
}
