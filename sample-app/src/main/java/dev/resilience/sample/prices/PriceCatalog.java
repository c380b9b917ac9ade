package dev.resilience.sample.prices;

import dev.resilience.BreakerOpenException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Service;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClientException;

/**
 * Prices for the checkout, with a fallback: when the prices service fails or its breaker rejects the call, the
 * last price it gave for the article is used (a stale price is better than no sale). With no price remembered,
 * the failure reaches the caller. Only an outage falls back: a {@code 4xx} answer (the service does not know the
 * article) and a bug in the checkout reach the caller too. Thread-safe.
 */
@Service
public class PriceCatalog {

    private final PriceClient prices;
    private final Map<String, Price> lastKnown = new ConcurrentHashMap<>();
    private final Counter fallbacks;

    public PriceCatalog(PriceClient prices, MeterRegistry meters) {
        this.prices = prices;
        this.fallbacks = Counter.builder("checkout.price.fallbacks")
                .description("Prices served from the last known price because the prices service failed or its breaker rejected the call")
                .register(meters);
    }

    /**
     * The price of an article: the live one, else the last known one.
     *
     * @param sku the article
     * @return its price
     * @throws BreakerOpenException the breaker's rejection, when no price is remembered
     * @throws RestClientException the prices service's failure when no price is remembered, or its {@code 4xx} answer
     */
    public Quote quote(String sku) {
        Price live;
        try {
            live = prices.price(sku);
        } catch (HttpClientErrorException answered) {
            throw answered; // the service answered about this article: not an outage, no stale price
        } catch (BreakerOpenException | RestClientException failure) {
            Price remembered = lastKnown.get(sku);
            if (remembered == null) {
                throw failure;
            }
            fallbacks.increment();
            return new Quote(sku, remembered.amount(), remembered.currency(), true);
        }
        lastKnown.put(sku, live);
        return new Quote(sku, live.amount(), live.currency(), false);
    }
}
