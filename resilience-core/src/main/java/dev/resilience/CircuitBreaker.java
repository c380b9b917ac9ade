package dev.resilience;

import dev.resilience.State.Closed;
import dev.resilience.State.ForcedOpen;
import dev.resilience.State.HalfOpen;
import dev.resilience.State.Open;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The circuit breaker of one dependency. It counts every call that reaches the dependency and stops calling it
 * while it fails too often.
 *
 * <p>Closed, it admits every call, never limiting how many run at once, and keeps their outcomes in a window
 * (the last {@code window-size} calls, or those of the last {@code window-duration}). Once the window holds
 * {@code minimum-calls} calls and the failure rate or slow-call rate reaches its threshold, it opens: it rejects
 * every call with {@link BreakerOpenException} for {@code open-duration}. Then the first call turns it half-open,
 * where it admits exactly {@code half-open-probes} calls, however many callers, threads or retries ask, and rejects
 * the rest. When every probe has completed it closes if their failure and slow-call rates are below the thresholds,
 * else it opens again. A probe round whose every outcome was ignored gives no evidence and is followed by a new
 * round.
 *
 * <p>The protocol for one call is {@link #acquirePermit()}, then the call, then {@link #onSuccess} or
 * {@link #onFailure} with the permit: every permit must be reported exactly once. An outcome counts only in the
 * state that issued its permit, so a slow call admitted before the breaker opened does not count as a probe.
 * {@link Guard} does all of this, and composes the breaker with a retry.
 *
 * <p>Thread-safe and lock-free: the state is one immutable value swapped by compare-and-set, and the closed path
 * allocates nothing.
 */
public final class CircuitBreaker {

    private static final System.Logger LOG = System.getLogger(CircuitBreaker.class.getName());

    private final String name;
    private final BreakerConfig config;
    private final TimeSource time;
    private final AtomicReference<State> state;
    private final LongAdder rejected = new LongAdder();
    private final CopyOnWriteArrayList<BreakerListener> listeners = new CopyOnWriteArrayList<>();
    private final long slowNanos;
    private final long openNanos;
    private final int probes;

    private CircuitBreaker(String name, BreakerConfig config, TimeSource time) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A breaker's name must not be blank, but was '" + name + "'");
        }
        this.name = name;
        this.config = Objects.requireNonNull(config, "config");
        this.time = Objects.requireNonNull(time, "time");
        this.slowNanos = saturatedNanos(config.slowCallDuration());
        this.openNanos = saturatedNanos(config.openDuration());
        this.probes = config.halfOpenProbes();
        this.state = new AtomicReference<>(new Closed(0, newWindow()));
    }

    /**
     * Creates a closed breaker on the system's time.
     *
     * @param name the breaker's name, not blank
     * @param config its settings
     * @return the breaker
     */
    public static CircuitBreaker of(String name, BreakerConfig config) {
        return new CircuitBreaker(name, config, TimeSource.system());
    }

    /**
     * Creates a closed breaker.
     *
     * @param name the breaker's name, not blank
     * @param config its settings
     * @param time the clock it reads
     * @return the breaker
     */
    public static CircuitBreaker of(String name, BreakerConfig config, TimeSource time) {
        return new CircuitBreaker(name, config, time);
    }

    /** @return the breaker's name */
    public String name() {
        return name;
    }

    /** @return the breaker's settings */
    public BreakerConfig config() {
        return config;
    }

    /**
     * The current state. An open breaker whose open duration has passed stays {@code open}, with no time
     * remaining, until the next call turns it half-open.
     *
     * @return the state
     */
    public BreakerState state() {
        return state.get().name();
    }

    /** The current state value, for tests that check which state issued a permit. */
    State current() {
        return state.get();
    }

    /**
     * Adds a listener of state transitions.
     *
     * @param listener the listener
     */
    public void addListener(BreakerListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Asks to call the dependency.
     *
     * @return a permit, to be passed to exactly one {@link #onSuccess} or {@link #onFailure}
     * @throws BreakerOpenException when the breaker rejects the call
     */
    public long acquirePermit() {
        State current = state.get();
        if (current instanceof Closed) {
            return current.epoch();
        }
        return acquireSlowly(current);
    }

    private long acquireSlowly(State current) {
        for (;;) {
            if (current instanceof Closed) {
                return current.epoch();
            }
            if (current instanceof HalfOpen halfOpen) {
                if (admitProbe(halfOpen)) {
                    return halfOpen.epoch();
                }
                throw reject(current, null, 0);
            }
            long now = current instanceof Open ? time.nanoTime() : 0;
            if (current instanceof Open open && now - open.until() >= 0) {
                State next = new HalfOpen(open.epoch() + 1);
                current = transition(open, next) ? next : state.get();
                continue;
            }
            throw reject(current, null, now);
        }
    }

    private boolean admitProbe(HalfOpen halfOpen) {
        for (int admitted = halfOpen.admitted().get(); admitted < probes; admitted = halfOpen.admitted().get()) {
            if (halfOpen.admitted().compareAndSet(admitted, admitted + 1)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reports that a permitted call returned normally.
     *
     * @param permit the permit of the call
     * @param nanos how long the call took
     */
    public void onSuccess(long permit, long nanos) {
        record(permit, nanos >= slowNanos ? Tally.SLOW : 0);
    }

    /**
     * Reports that a permitted call failed, and classifies the failure: an ignored exception counts as neither
     * success nor failure; when {@code record-exceptions} is not empty, a failure it does not list counts as a
     * success (the dependency answered); any other failure counts as a failure. Exceptions are matched against
     * the failure and its causes; ignored wins over recorded.
     *
     * @param permit the permit of the call
     * @param nanos how long the call took
     * @param failure what the call threw
     * @return {@link Outcome#IGNORED} for an ignored failure, else {@link Outcome#FAILURE}
     */
    public Outcome onFailure(long permit, long nanos, Throwable failure) {
        if (Causes.anyMatch(failure, config.ignoreExceptions())) {
            recordIgnored(permit);
            return Outcome.IGNORED;
        }
        boolean counted = config.recordExceptions().isEmpty() || Causes.anyMatch(failure, config.recordExceptions());
        record(permit, (counted ? Tally.FAILED : 0) | (nanos >= slowNanos ? Tally.SLOW : 0));
        return Outcome.FAILURE;
    }

    private void record(long permit, int bits) {
        State current = state.get();
        if (current.epoch() != permit) {
            return; // admitted by an earlier state: its outcome no longer counts
        }
        if (current instanceof Closed closed) {
            long tally = closed.window().record(bits);
            if (tripped(tally, config.minimumCalls())) {
                long now = time.nanoTime();
                transition(closed, new Open(closed.epoch() + 1, now, now + openNanos, tally));
            }
        } else if (current instanceof HalfOpen halfOpen) {
            halfOpen.tally().addAndGet(Tally.one(bits));
            completeProbe(halfOpen);
        }
    }

    private void recordIgnored(long permit) {
        if (state.get() instanceof HalfOpen halfOpen && halfOpen.epoch() == permit) {
            completeProbe(halfOpen);
        }
    }

    private void completeProbe(HalfOpen halfOpen) {
        if (halfOpen.completed().incrementAndGet() != probes) {
            return;
        }
        long tally = halfOpen.tally().get();
        long next = halfOpen.epoch() + 1;
        if (Tally.calls(tally) == 0) {
            state.compareAndSet(halfOpen, new HalfOpen(next)); // no evidence: probe again
        } else if (tripped(tally, 1)) {
            long now = time.nanoTime();
            transition(halfOpen, new Open(next, now, now + openNanos, tally));
        } else {
            transition(halfOpen, new Closed(next, newWindow()));
        }
    }

    private boolean tripped(long tally, int minimumCalls) {
        int calls = Tally.calls(tally);
        return calls >= minimumCalls
                && (Tally.failures(tally) * 100.0 >= config.failureRateThreshold() * calls
                        || Tally.slows(tally) * 100.0 >= config.slowCallRateThreshold() * calls);
    }

    /**
     * The rejection the next call would meet right now, without taking a probe slot: used to fail a retry at once
     * instead of waiting for a call that cannot be made.
     *
     * @param cause the failure that made the caller want to retry, kept as the rejection's cause
     * @return the rejection, or {@code null} when the next call may be admitted
     */
    public BreakerOpenException rejection(Throwable cause) {
        State current = state.get();
        long now = current instanceof Open ? time.nanoTime() : 0;
        if (current instanceof Closed
                || current instanceof Open open && now - open.until() >= 0
                || current instanceof HalfOpen halfOpen && halfOpen.admitted().get() < probes) {
            return null;
        }
        return reject(current, cause, now);
    }

    /** Counts a rejection and describes it; {@code now} is the clock's reading when the state is open. */
    private BreakerOpenException reject(State current, Throwable cause, long now) {
        rejected.increment();
        long retryAfter = 0;
        if (current instanceof Open open) {
            retryAfter = Math.max(0, open.until() - now);
        } else if (current instanceof ForcedOpen) {
            retryAfter = openNanos;
        }
        return new BreakerOpenException(name, current.name(), retryAfter, cause);
    }

    /** Opens the breaker until {@link #close()} or {@link #reset()} is called. */
    public void forceOpen() {
        moveTo(epoch -> new ForcedOpen(epoch, time.nanoTime()), false);
    }

    /** Closes the breaker with an empty window; does nothing if it is closed already. */
    public void close() {
        moveTo(epoch -> new Closed(epoch, newWindow()), false);
    }

    /** Closes the breaker with an empty window, even if it is closed already, and zeroes the rejected calls. */
    public void reset() {
        moveTo(epoch -> new Closed(epoch, newWindow()), true);
        rejected.reset();
    }

    private void moveTo(java.util.function.LongFunction<State> target, boolean evenIfSameState) {
        for (;;) {
            State current = state.get();
            State next = target.apply(current.epoch() + 1);
            if (current.name() == next.name() && !evenIfSameState) {
                return;
            }
            if (transition(current, next)) {
                return;
            }
        }
    }

    /**
     * What the breaker looks like now.
     *
     * @return a snapshot of its state and counts
     */
    public BreakerSnapshot snapshot() {
        State current = state.get();
        long now = time.nanoTime();
        Window.Counts counts;
        Duration remaining = Duration.ZERO;
        if (current instanceof Closed closed) {
            counts = closed.window().counts();
        } else if (current instanceof Open open) {
            counts = Window.Counts.of(open.tally());
            remaining = Duration.ofNanos(Math.max(0, open.until() - now));
        } else if (current instanceof HalfOpen halfOpen) {
            counts = Window.Counts.of(halfOpen.tally().get());
        } else {
            counts = new Window.Counts(0, 0, 0);
        }
        long calls = counts.calls();
        return new BreakerSnapshot(current.name(), rate(counts.failures(), calls), rate(counts.slows(), calls), calls,
                counts.failures(), counts.slows(), config.minimumCalls(), rejected.sum(), remaining);
    }

    private static double rate(long part, long calls) {
        return calls <= 0 ? 0 : 100.0 * part / calls;
    }

    private boolean transition(State from, State to) {
        if (!state.compareAndSet(from, to)) {
            return false;
        }
        if (from.name() != to.name()) {
            for (BreakerListener listener : listeners) {
                try {
                    listener.onTransition(this, from.name(), to.name());
                } catch (RuntimeException | LinkageError ex) {
                    LOG.log(Level.WARNING, "A listener of breaker '" + name + "' failed on " + from.name().tag()
                            + " -> " + to.name().tag() + "; the breaker goes on", ex);
                }
            }
        }
        return true;
    }

    private Window newWindow() {
        return config.windowType() == BreakerConfig.WindowType.COUNT
                ? new CountWindow(config.windowSize())
                : new TimeWindow(saturatedNanos(config.windowDuration()), time);
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 4;
        }
    }

    @Override
    public String toString() {
        return "CircuitBreaker[" + name + ", " + state().tag() + "]";
    }
}
