package dev.resilience.spring.boot.observation;

import dev.resilience.Outcome;
import io.micrometer.observation.Observation;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The context of one {@code resilience.guarded.call} observation: one call of a guarded method as its caller sees it.
 * Its low-cardinality keys are {@code method}, {@code breaker} and, once it stops, {@code outcome} (success,
 * failure or rejected); for a synchronous method it also gets the high-cardinality key {@code attempts}. Each
 * retry adds an event named {@code retry} to it.
 */
public final class OperationContext extends Observation.Context {

    private final String method;
    private final String breaker;
    private volatile @Nullable String outcome;
    private volatile int attempts;
    private volatile @Nullable Outcome lastOutcome;
    private volatile @Nullable Class<?> lastFailure;

    OperationContext(String method, String breaker) {
        this.method = Objects.requireNonNull(method, "method");
        this.breaker = Objects.requireNonNull(breaker, "breaker");
        setName(ResilienceObservation.NAME);
        setContextualName(method);
    }

    /** @return the {@code method} tag: {@code PaymentClient.charge} */
    public String method() {
        return method;
    }

    /** @return the {@code breaker} tag, {@code none} without a breaker */
    public String breaker() {
        return breaker;
    }

    /** @return success, failure or rejected, once known; else {@code null} */
    public @Nullable String outcome() {
        return outcome;
    }

    /** @return the attempts made, once the guard reported them; else 0 */
    public int attempts() {
        return attempts;
    }

    void outcome(String value) {
        outcome = value;
    }

    void attempts(int value) {
        attempts = value;
    }

    @Nullable Outcome lastOutcome() {
        return lastOutcome;
    }

    @Nullable Class<?> lastFailure() {
        return lastFailure;
    }

    void lastFailure(Outcome outcome, Class<?> failure) {
        lastOutcome = outcome;
        lastFailure = failure;
    }
}
