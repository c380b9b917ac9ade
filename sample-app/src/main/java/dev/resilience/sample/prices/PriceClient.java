package dev.resilience.sample.prices;

import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/** The prices service, read-only and therefore idempotent. Not final: Spring proxies it. */
public class PriceClient {

    private final RestClient http;

    public PriceClient(RestClient http) {
        this.http = http;
    }

    /**
     * Reads the current price of an article.
     *
     * @param sku the article
     * @return its price
     */
    @Breaker("prices")
    @Retry(maxAttempts = 3, idempotent = true, delay = "50ms", abortOn = HttpClientErrorException.class)
    public Price price(String sku) {
        return http.get().uri("/prices/{sku}", sku).retrieve().body(Price.class);
    }
}
