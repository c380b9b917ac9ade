package dev.resilience.sample.payments;

/**
 * A charge as the payments service reports it.
 *
 * @param id the charge's id, {@code ch_...}
 * @param amount the amount in cents
 * @param currency the ISO currency code
 * @param status {@code succeeded} or {@code failed}
 */
public record Charge(String id, long amount, String currency, String status) {
}
