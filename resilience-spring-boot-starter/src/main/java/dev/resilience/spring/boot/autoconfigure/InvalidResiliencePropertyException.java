package dev.resilience.spring.boot.autoconfigure;

/**
 * A {@code resilience.*} property whose value is not allowed, found when the properties are turned into breaker
 * and retry settings at startup. {@link InvalidResiliencePropertyFailureAnalyzer} reports it.
 */
final class InvalidResiliencePropertyException extends IllegalStateException {

    private final String action;

    /**
     * @param description what is wrong, naming the full property (such as
     *     {@code resilience.breaker.instances.payments.failure-rate-threshold}), its value and what is allowed
     */
    InvalidResiliencePropertyException(String description, String action, Throwable cause) {
        super(description, cause);
        this.action = action;
    }

    /** @return what the user should do */
    String action() {
        return action;
    }
}
