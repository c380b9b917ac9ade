package dev.resilience;

/** Why a retry waits as long as it does. */
public enum WaitReason {

    /** The retry's own backoff: {@code delay × multiplier^(k-1)}, capped and jittered. */
    BACKOFF("backoff"),
    /** The server said when to come back ({@link Pushback}). */
    PUSHBACK("pushback");

    private final String tag;

    WaitReason(String tag) {
        this.tag = tag;
    }

    /** @return the lowercase name, as in the {@code reason} metric tag */
    public String tag() {
        return tag;
    }
}
