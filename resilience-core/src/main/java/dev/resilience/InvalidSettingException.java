package dev.resilience;

import java.util.Objects;

/**
 * A setting of a breaker or a retry policy whose value is not allowed. The message names the setting, the value
 * and what is allowed; {@link #setting()} gives the setting's key as written in {@code application.yml} (or the
 * annotation attribute's name), so that a caller can say where the value came from.
 */
public final class InvalidSettingException extends IllegalArgumentException {

    private final String setting;
    private final transient Object value;
    private final String allowed;

    /**
     * Creates the exception.
     *
     * @param setting the setting's key, such as {@code failure-rate-threshold} or {@code maxAttempts}
     * @param value the rejected value
     * @param allowed what is allowed, such as {@code "between 1 and 100"}
     */
    public InvalidSettingException(String setting, Object value, String allowed) {
        super("'" + setting + "' must be " + allowed + ", but was " + value);
        this.setting = Objects.requireNonNull(setting, "setting");
        this.value = value;
        this.allowed = Objects.requireNonNull(allowed, "allowed");
    }

    /**
     * The setting's key.
     *
     * @return the key, such as {@code failure-rate-threshold}
     */
    public String setting() {
        return setting;
    }

    /**
     * The rejected value.
     *
     * @return the value, possibly {@code null}
     */
    public Object value() {
        return value;
    }

    /**
     * What is allowed.
     *
     * @return a phrase such as {@code "between 1 and 100"}
     */
    public String allowed() {
        return allowed;
    }
}
