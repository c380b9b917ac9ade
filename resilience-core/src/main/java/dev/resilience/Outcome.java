package dev.resilience;

/**
 * How an attempt or an operation ended. An operation is never {@link #IGNORED}: that is an attempt whose failure
 * the breaker counts as neither a success nor a failure.
 */
public enum Outcome {

    /** The call returned normally. */
    SUCCESS("success"),
    /** The call threw, or its stage completed exceptionally. */
    FAILURE("failure"),
    /** The breaker rejected the call; the dependency was not called. */
    REJECTED("rejected"),
    /**
     * The call ended in a way that tells nothing about the dependency (attempts only): an exception the breaker
     * ignores, an interrupt, a {@link java.lang.Error}, a refusal by the caller's own checks, or an inner breaker's
     * rejection. The breaker counts it as neither success nor failure.
     */
    IGNORED("ignored"),
    /** The caller cancelled the operation before it ended; the breaker counts the attempt in flight as neither. */
    CANCELLED("cancelled");

    private final String tag;

    Outcome(String tag) {
        this.tag = tag;
    }

    /**
     * The outcome's lowercase name, as in metric tags.
     *
     * @return {@code success}, {@code failure}, {@code rejected}, {@code ignored} or {@code cancelled}
     */
    public String tag() {
        return tag;
    }
}
