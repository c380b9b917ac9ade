package dev.resilience.sample.feed;

import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import dev.resilience.sample.prices.Price;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;

/**
 * The reactive path to the prices service: a {@code WebClient} whose {@code Mono} is guarded per subscription. Each
 * subscription to what {@link #price} returns is one operation of the breaker {@code price-feed}; each attempt is
 * one subscription to the {@code WebClient}'s Mono, so a retry sends the request again, after a wait that blocks no
 * thread. Not final: Spring proxies it.
 */
public class PriceFeed {

    private final WebClient http;

    public PriceFeed(WebClient http) {
        this.http = http;
    }

    /**
     * Reads the current price of an article, when subscribed to.
     *
     * @param sku the article
     * @return the price, or an error: the last failure, or a {@code BreakerOpenException} while the breaker is open
     */
    @Breaker("price-feed")
    @Retry(maxAttempts = 3, idempotent = true, delay = "50ms", abortOn = WebClientResponseException.NotFound.class)
    public Mono<Price> price(String sku) {
        return http.get().uri("/prices/{sku}", sku).retrieve().bodyToMono(Price.class);
    }
}
