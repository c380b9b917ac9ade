package dev.resilience.spring.boot.observation;

import dev.resilience.BreakerOpenException;
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

    private ResilienceObservation() {
    }

    /** The outcome as the caller sees it: success, rejected (the breaker's rejection) or failure. */
    static String outcomeOf(Throwable failure) {
        if (failure == null) {
            return "success";
        }
        return unwrap(failure) instanceof BreakerOpenException ? "rejected" : "failure";
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
