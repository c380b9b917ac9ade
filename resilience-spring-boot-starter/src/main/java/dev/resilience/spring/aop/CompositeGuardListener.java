package dev.resilience.spring.aop;

import dev.resilience.GuardListener;
import dev.resilience.Outcome;
import dev.resilience.WaitReason;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/** Calls each listener of a method in turn; one that throws is logged and does not stop the others. */
final class CompositeGuardListener implements GuardListener {

    private static final Log LOG = LogFactory.getLog(CompositeGuardListener.class);

    private final String methodTag;
    private final GuardListener[] listeners;

    private CompositeGuardListener(String methodTag, GuardListener[] listeners) {
        this.methodTag = methodTag;
        this.listeners = listeners;
    }

    static GuardListener of(String methodTag, List<GuardListener> listeners) {
        List<GuardListener> active = listeners.stream()
                .filter(listener -> listener != null && listener != GuardListener.NONE)
                .toList();
        return switch (active.size()) {
            case 0 -> GuardListener.NONE;
            case 1 -> active.get(0); // the guard itself protects the call from it
            default -> new CompositeGuardListener(methodTag, active.toArray(GuardListener[]::new));
        };
    }

    /** Binds each listener to the operation; allocates only when one of them binds to something of its own. */
    @Override
    public GuardListener onOperationStart() {
        GuardListener[] bound = null;
        for (int i = 0; i < listeners.length; i++) {
            GuardListener one = listeners[i];
            try {
                one = listeners[i].onOperationStart();
            } catch (RuntimeException ex) {
                failed(listeners[i], ex);
            }
            if (one != listeners[i] && one != null) {
                if (bound == null) {
                    bound = listeners.clone();
                }
                bound[i] = one;
            }
        }
        return bound == null ? this : new CompositeGuardListener(methodTag, bound);
    }

    @Override
    public void onAttempt(int attempt, Outcome outcome, long nanos, Throwable failure) {
        for (GuardListener listener : listeners) {
            try {
                listener.onAttempt(attempt, outcome, nanos, failure);
            } catch (RuntimeException ex) {
                failed(listener, ex);
            }
        }
    }

    @Override
    public void onRetryWait(int nextAttempt, long waitNanos, WaitReason reason) {
        for (GuardListener listener : listeners) {
            try {
                listener.onRetryWait(nextAttempt, waitNanos, reason);
            } catch (RuntimeException ex) {
                failed(listener, ex);
            }
        }
    }

    @Override
    public void onRetryDenied(int nextAttempt) {
        for (GuardListener listener : listeners) {
            try {
                listener.onRetryDenied(nextAttempt);
            } catch (RuntimeException ex) {
                failed(listener, ex);
            }
        }
    }

    @Override
    public void onFallback(Outcome outcome) {
        for (GuardListener listener : listeners) {
            try {
                listener.onFallback(outcome);
            } catch (RuntimeException ex) {
                failed(listener, ex);
            }
        }
    }

    @Override
    public void onOperation(Outcome outcome, int attempts, boolean retried, long nanos, Throwable failure) {
        for (GuardListener listener : listeners) {
            try {
                listener.onOperation(outcome, attempts, retried, nanos, failure);
            } catch (RuntimeException ex) {
                failed(listener, ex);
            }
        }
    }

    private void failed(GuardListener listener, RuntimeException ex) {
        LOG.warn("Listener " + listener + " of " + methodTag + " failed; the call and the other listeners go on", ex);
    }
}
