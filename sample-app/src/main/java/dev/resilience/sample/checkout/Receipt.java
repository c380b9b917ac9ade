package dev.resilience.sample.checkout;

/**
 * A paid order.
 *
 * @param chargeId the payment's id
 * @param sku the article
 * @param quantity how many
 * @param amount the total charged, in cents
 * @param currency the ISO currency code
 * @param stalePrice true when the price came from the last known price, not from the prices service
 */
public record Receipt(String chargeId, String sku, int quantity, long amount, String currency, boolean stalePrice) {
}
