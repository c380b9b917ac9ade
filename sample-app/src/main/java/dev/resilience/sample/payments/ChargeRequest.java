package dev.resilience.sample.payments;

/**
 * What the checkout asks the payments service to charge.
 *
 * @param amount the amount in cents
 * @param currency the ISO currency code
 * @param reference the order it pays for
 */
public record ChargeRequest(long amount, String currency, String reference) {
}
