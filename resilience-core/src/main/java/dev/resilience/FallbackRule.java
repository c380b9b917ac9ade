package dev.resilience;

import java.util.List;

/**
 * Which failures of an operation get its {@link Fallback}: those whose cause chain holds a type of {@code applyOn}
 * (every {@link Exception} when it is empty: then the failure itself must be one) and none of {@code skipOn}, which
 * wins. Immutable and thread-safe.
 */
public final class FallbackRule {

    private static final FallbackRule EVERY_EXCEPTION = new FallbackRule(List.of(), List.of());

    private final List<Class<? extends Throwable>> applyOn;
    private final List<Class<? extends Throwable>> skipOn;

    private FallbackRule(List<Class<? extends Throwable>> applyOn, List<Class<? extends Throwable>> skipOn) {
        this.applyOn = List.copyOf(applyOn);
        this.skipOn = List.copyOf(skipOn);
    }

    /**
     * A rule.
     *
     * @param applyOn failures that get the fallback, matched against the failure and its causes; empty: every
     *     {@code Exception}
     * @param skipOn failures that never get it, matched likewise; wins over {@code applyOn}
     * @return the rule
     */
    public static FallbackRule of(List<Class<? extends Throwable>> applyOn, List<Class<? extends Throwable>> skipOn) {
        return applyOn.isEmpty() && skipOn.isEmpty() ? EVERY_EXCEPTION : new FallbackRule(applyOn, skipOn);
    }

    /** @return the failures that get the fallback; empty means every {@code Exception} */
    public List<Class<? extends Throwable>> applyOn() {
        return applyOn;
    }

    /** @return the failures that never get it */
    public List<Class<? extends Throwable>> skipOn() {
        return skipOn;
    }

    /**
     * The throwable a fallback receives for this failure.
     *
     * @param failure what the operation ended with
     * @return the first throwable of the cause chain, the failure itself first, that {@code applyOn} admits (the
     *     failure itself when {@code applyOn} is empty), or {@code null} when the failure gets no fallback
     */
    public Throwable admitted(Throwable failure) {
        if (Causes.anyMatch(failure, skipOn)) {
            return null;
        }
        if (applyOn.isEmpty()) {
            return failure instanceof Exception ? failure : null;
        }
        return Causes.firstMatch(failure, applyOn);
    }

    @Override
    public String toString() {
        return "FallbackRule[applyOn=" + applyOn + ", skipOn=" + skipOn + "]";
    }
}
