package dev.resilience.sample.prices;

/**
 * A price as the checkout uses it.
 *
 * @param sku the article
 * @param amount the unit price in cents
 * @param currency the ISO currency code
 * @param stale true when the prices service could not answer and this is the last price it gave
 */
public record Quote(String sku, long amount, String currency, boolean stale) {
}
