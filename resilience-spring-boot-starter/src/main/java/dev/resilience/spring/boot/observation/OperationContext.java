package dev.resilience.spring.boot.observation;

import dev.resilience.Outcome;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The context of one {@code resilience.guarded.call} observation: one call of a guarded method as its caller sees it,
 * what a {@link ResilienceObservationConvention} names and tags. It knows the method's and the breaker's tags from
 * the start, and the outcome and the number of attempts once the call has ended. Each retry adds an event named
 * {@code retry} to the observation, a fallback one named {@code fallback}.
 */
public final class OperationContext extends Observation.Context {

    private final String method;
    private final String breaker;
    private final KeyValue methodKey;
    private final KeyValue breakerKey;
    private volatile @Nullable String outcome;
    private volatile int attempts;
    private volatile @Nullable Outcome lastOutcome;
    private volatile @Nullable Class<?> lastFailure;

    OperationContext(String method, String breaker, KeyValue methodKey, KeyValue breakerKey) {
        this.method = Objects.requireNonNull(method, "method");
        this.breaker = Objects.requireNonNull(breaker, "breaker");
        this.methodKey = methodKey;
        this.breakerKey = breakerKey;
        setName(ResilienceObservationDocumentation.GUARDED_CALL.getName());
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

    /** @return success, failure, rejected or cancelled, once the call has ended; else {@code null} */
    public @Nullable String outcome() {
        return outcome;
    }

    /** @return the attempts made, once the guard reported them; else 0 */
    public int attempts() {
        return attempts;
    }

    KeyValue methodKey() {
        return methodKey;
    }

    KeyValue breakerKey() {
        return breakerKey;
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
