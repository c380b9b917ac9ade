package dev.resilience.sample.checkout;

/**
 * A customer's order.
 *
 * @param sku the article
 * @param quantity how many, at least 1
 */
public record Order(String sku, int quantity) {
}
