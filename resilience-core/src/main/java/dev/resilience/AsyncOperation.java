package dev.resilience;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;

/**
 * One asynchronous operation of a {@link Guard}: attempts run one after the other, each started by {@link #run()}
 * (at once, then from the time source's scheduler) and ended by {@link #accept} when its stage completes. The
 * decisions are the guard's, the same as for a synchronous call.
 */
final class AsyncOperation<T> implements Runnable, BiConsumer<T, Throwable> {

    private final Guard guard;
    private final GuardListener listener;
    private final Callable<? extends CompletionStage<T>> body;
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private long start;
    private int attempt;
    private long permit;
    private long attemptStart;

    AsyncOperation(Guard guard, GuardListener listener, Callable<? extends CompletionStage<T>> body) {
        this.guard = guard;
        this.listener = listener;
        this.body = body;
    }

    CompletableFuture<T> result() {
        return result;
    }

    /** Starts the next attempt. */
    @Override
    public void run() {
        if (result.isDone()) {
            return; // cancelled by the caller
        }
        attempt++;
        CircuitBreaker breaker = guard.breaker();
        if (breaker != null) {
            try {
                permit = breaker.acquirePermit();
            } catch (BreakerOpenException rejection) {
                result.completeExceptionally(guard.rejected(listener, attempt, start, rejection));
                return;
            }
        }
        attemptStart = guard.time().nanoTime();
        if (attempt == 1) {
            start = attemptStart;
        }
        CompletionStage<T> stage;
        try {
            stage = body.call();
            if (stage == null) {
                throw new NullPointerException("the body of '" + guard.name() + "' returned no CompletionStage");
            }
        } catch (Throwable failure) {
            accept(null, failure);
            return;
        }
        stage.whenComplete(this);
    }

    /** Ends the current attempt. */
    @Override
    public void accept(T value, Throwable thrown) {
        long now = guard.time().nanoTime();
        if (thrown == null) {
            guard.succeeded(listener, attempt, permit, start, attemptStart, now);
            result.complete(value);
            return;
        }
        Throwable failure = unwrap(thrown);
        long wait;
        try {
            wait = guard.afterFailure(listener, attempt, permit, failure, start, attemptStart, now);
        } catch (Throwable end) {
            result.completeExceptionally(end);
            return;
        }
        guard.time().schedule(this, wait);
    }

    private static Throwable unwrap(Throwable thrown) {
        Throwable current = thrown;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
