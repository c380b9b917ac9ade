package dev.resilience;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Delivers a breaker's transitions to its listeners in the order they happened. Two threads may swap the state one
 * after the other and then reach their listeners in the opposite order; so each transition is queued under the epoch
 * of the state it entered, and whichever thread holds the delivery turn hands the queued transitions out by epoch,
 * one after the other, stopping at a gap until the thread that made the missing one queues it. No lock: the turn is
 * a flag, and a thread that queues while another delivers leaves the delivery to it.
 */
final class Transitions {

    private static final System.Logger LOG = System.getLogger(CircuitBreaker.class.getName());

    private final CircuitBreaker breaker;
    private final TimeSource time;
    private final CopyOnWriteArrayList<BreakerListener> listeners = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<Long, Transition> queued = new ConcurrentHashMap<>();
    private final AtomicBoolean delivering = new AtomicBoolean();
    private volatile long next = 1;

    Transitions(CircuitBreaker breaker, TimeSource time) {
        this.breaker = breaker;
        this.time = time;
    }

    void add(BreakerListener listener) {
        listeners.add(listener);
    }

    /** Queues the transition into the state of that epoch (every epoch has exactly one) and delivers what is due. */
    void happened(long epoch, BreakerState from, BreakerState to, long at) {
        queued.put(epoch, new Transition(from, to, at));
        while (queued.containsKey(next) && delivering.compareAndSet(false, true)) {
            try {
                for (Transition transition = queued.remove(next); transition != null;
                        transition = queued.remove(next)) {
                    next = next + 1;
                    deliver(transition);
                }
            } finally {
                delivering.set(false);
            }
        }
    }

    private void deliver(Transition transition) {
        if (transition.from == transition.to || listeners.isEmpty()) {
            return; // a reset of a closed breaker: nothing to hear
        }
        Duration ago = Duration.ofNanos(Math.max(0, time.nanoTime() - transition.at));
        for (BreakerListener listener : listeners) {
            try {
                listener.onTransition(breaker, transition.from, transition.to, ago);
            } catch (RuntimeException | LinkageError ex) {
                LOG.log(Level.WARNING, "A listener of breaker '" + breaker.name() + "' failed on "
                        + transition.from.tag() + " -> " + transition.to.tag() + "; the breaker goes on", ex);
            }
        }
    }

    private record Transition(BreakerState from, BreakerState to, long at) {
    }
}
