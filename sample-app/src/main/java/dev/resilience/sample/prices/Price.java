package dev.resilience.sample.prices;

/**
 * A price as the prices service reports it.
 *
 * @param sku the article
 * @param amount the unit price in cents
 * @param currency the ISO currency code
 */
public record Price(String sku, long amount, String currency) {
}
