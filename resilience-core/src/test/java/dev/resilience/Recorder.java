package dev.resilience;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A guard listener that writes down what it hears, one line per event. Thread-safe. */
final class Recorder implements GuardListener {

    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void onAttempt(int attempt, Outcome outcome, long nanos, Throwable failure) {
        events.add("attempt " + attempt + " " + outcome.tag());
    }

    @Override
    public void onRetryWait(int nextAttempt, long waitNanos, WaitReason reason) {
        events.add("wait " + Duration.ofNanos(waitNanos).toMillis() + "ms before " + nextAttempt
                + (reason == WaitReason.PUSHBACK ? " (pushback)" : ""));
    }

    @Override
    public void onRetryDenied(int nextAttempt) {
        events.add("denied before " + nextAttempt);
    }

    @Override
    public void onFallback(Outcome outcome) {
        events.add("fallback " + outcome.tag());
    }

    @Override
    public void onOperation(Outcome outcome, int attempts, boolean retried, long nanos, Throwable failure) {
        events.add("operation " + outcome.tag() + " after " + attempts);
    }
}
