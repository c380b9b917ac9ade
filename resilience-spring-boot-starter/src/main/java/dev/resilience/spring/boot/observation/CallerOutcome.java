package dev.resilience.spring.boot.observation;

import dev.resilience.BreakerOpenException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** How the outcome of a guarded call is read from what its caller got, when the guard did not report it. */
final class CallerOutcome {

    private CallerOutcome() {
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
