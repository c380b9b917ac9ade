package dev.resilience.sample.prices;

import dev.resilience.BreakerOpenException;
import dev.resilience.annotation.Fallback;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Service;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClientException;

/**
 * Prices for the checkout, with a fallback: when the prices service fails or its breaker rejects the call, the
 * last price it gave for the article is used (a stale price is better than no sale). With no price remembered,
 * the failure reaches the caller. Only an outage falls back: a {@code 4xx} answer (the service does not know the
 * article) and a bug in the checkout reach the caller too. The fallback runs once per quote, after the price
 * client's retries and breaker have done their work. Thread-safe.
 */
@Service
public class PriceCatalog {

    private final PriceClient prices;
    private final Map<String, Price> lastKnown = new ConcurrentHashMap<>();

    public PriceCatalog(PriceClient prices) {
        this.prices = prices;
    }

    /**
     * The price of an article: the live one, else the last known one.
     *
     * @param sku the article
     * @return its price
     * @throws BreakerOpenException the breaker's rejection, when no price is remembered
     * @throws RestClientException the prices service's failure when no price is remembered, or its {@code 4xx} answer
     */
    @Fallback(method = "lastKnownQuote", applyOn = {BreakerOpenException.class, RestClientException.class},
            skipOn = HttpClientErrorException.class)
    public Quote quote(String sku) {
        Price live = prices.price(sku);
        lastKnown.put(sku, live);
        return new Quote(sku, live.amount(), live.currency(), false);
    }

    /** The last price the service gave, marked stale; with none, the outage itself. */
    Quote lastKnownQuote(String sku, RuntimeException outage) {
        Price remembered = lastKnown.get(sku);
        if (remembered == null) {
            throw outage;
        }
        return new Quote(sku, remembered.amount(), remembered.currency(), true);
    }
}
