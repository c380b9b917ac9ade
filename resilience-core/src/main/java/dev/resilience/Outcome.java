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
    /** The call failed with an exception that the breaker ignores (attempts only). */
    IGNORED("ignored");

    private final String tag;

    Outcome(String tag) {
        this.tag = tag;
    }

    /**
     * The outcome's lowercase name, as in metric tags.
     *
     * @return {@code success}, {@code failure}, {@code rejected} or {@code ignored}
     */
    public String tag() {
        return tag;
    }
}
