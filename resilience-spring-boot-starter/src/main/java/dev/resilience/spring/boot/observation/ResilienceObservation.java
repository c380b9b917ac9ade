package dev.resilience.spring.boot.observation;

import dev.resilience.BreakerOpenException;
import io.micrometer.common.KeyValue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Names of the operation observation, and how an outcome is read from what the caller got. */
final class ResilienceObservation {

    /**
     * The observation's name, and so the name of the meters Micrometer's default handler derives from it
     * ({@code resilience.guarded.call}, {@code .active}, {@code .retry}): a name that cannot be mistaken for the
     * {@code resilience.operations} timer of the contract, which counts the same calls with other tags. A span is
     * named by the contextual name, the method's tag ({@code PaymentClient.charge}).
     */
    static final String NAME = "resilience.guarded.call";
    static final String RETRY_EVENT = "retry";
    static final String FALLBACK_EVENT = "fallback";

    private static final KeyValue SUCCESS = KeyValue.of("outcome", "success");
    private static final KeyValue FAILURE = KeyValue.of("outcome", "failure");
    private static final KeyValue REJECTED = KeyValue.of("outcome", "rejected");
    private static final KeyValue CANCELLED = KeyValue.of("outcome", "cancelled");
    private static final KeyValue[] ATTEMPTS = new KeyValue[17];

    static {
        for (int attempts = 1; attempts < ATTEMPTS.length; attempts++) {
            ATTEMPTS[attempts] = KeyValue.of("attempts", Integer.toString(attempts));
        }
    }

    private ResilienceObservation() {
    }

    /** The outcome as the caller sees it: success, rejected (the breaker's rejection) or failure. */
    static String outcomeOf(Throwable failure) {
        if (failure == null) {
            return "success";
        }
        return unwrap(failure) instanceof BreakerOpenException ? "rejected" : "failure";
    }

    /** The {@code outcome} key value, made once for each of the three outcomes. */
    static KeyValue outcomeKey(String outcome) {
        return switch (outcome) {
            case "success" -> SUCCESS;
            case "rejected" -> REJECTED;
            case "cancelled" -> CANCELLED;
            default -> FAILURE;
        };
    }

    /** The {@code attempts} key value, made once for up to 16 attempts. */
    static KeyValue attemptsKey(int attempts) {
        return attempts > 0 && attempts < ATTEMPTS.length ? ATTEMPTS[attempts]
                : KeyValue.of("attempts", Integer.toString(attempts));
    }

    static Throwable unwrap(Throwable thrown) {
        Throwable current = thrown;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
