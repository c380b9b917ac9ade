package dev.resilience.spring.boot.autoconfigure;

/**
 * A {@code resilience.*} property whose value is not allowed, found when the properties are turned into breaker
 * and retry settings at startup. {@link InvalidResiliencePropertyFailureAnalyzer} reports it.
 */
final class InvalidResiliencePropertyException extends IllegalStateException {

    private final String property;
    private final String action;

    InvalidResiliencePropertyException(String property, String description, String action, Throwable cause) {
        super(description, cause);
        this.property = property;
        this.action = action;
    }

    /** @return the full property name, such as {@code resilience.breaker.instances.payments.failure-rate-threshold} */
    String property() {
        return property;
    }

    /** @return what the user should do */
    String action() {
        return action;
    }
}
