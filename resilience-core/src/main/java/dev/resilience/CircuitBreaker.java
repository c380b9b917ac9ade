package dev.resilience;

import dev.resilience.State.Closed;
import dev.resilience.State.ForcedOpen;
import dev.resilience.State.HalfOpen;
import dev.resilience.State.Open;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;

/**
 * The circuit breaker of one dependency. It counts every call that reaches the dependency and stops calling it
 * while it fails too often.
 *
 * <p>Closed, it admits every call, never limiting how many run at once, and keeps their outcomes in a window
 * (the last {@code window-size} calls, or those of the last {@code window-duration}). Once the window holds
 * {@code minimum-calls} calls and the failure rate or slow-call rate reaches its threshold, it opens: it rejects
 * every call with {@link BreakerOpenException} for {@code open-duration}, and is then half-open, where it admits at
 * most {@code half-open-probes} calls, however many callers, threads or retries ask, and rejects the rest. When every
 * probe has completed, or {@code half-open-max-wait} after the first probe was admitted, it decides over the probes
 * that succeeded or failed: it closes if their failure and slow-call rates are below the thresholds, and opens again
 * otherwise, or when none did (every probe ignored or cancelled, or none completed in time).
 *
 * <p><b>Never stuck.</b> The time-driven transitions happen at their instant without a timer thread: the state is
 * read through the clock, so a breaker whose open duration has passed is half-open to every reader
 * ({@link #state()}, {@link #snapshot()}, a call), and the first reader makes the transition, dated at its instant.
 *
 * <p>The protocol for one call is {@link #acquirePermit()}, then the call, then exactly one of {@link #onSuccess},
 * {@link #onFailure} or {@link #onIgnored} with the permit. An outcome counts only in the state that issued its
 * permit, so a slow call admitted before the breaker opened does not count as a probe. {@link Guard} does all of
 * this, and composes the breaker with a retry.
 *
 * <p>Thread-safe and lock-free: the state is one immutable value swapped by compare-and-set, the closed path
 * allocates nothing and reads no clock, and listeners hear the transitions in the order they happened.
 */
public final class CircuitBreaker {

    private final String name;
    private final BreakerConfig config;
    private final TimeSource time;
    private final AtomicReference<State> state;
    private final LongAdder rejected = new LongAdder();
    private final Transitions transitions;
    private final long slowNanos;
    private final long openNanos;
    private final long maxWaitNanos;
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
        this.maxWaitNanos = saturatedNanos(config.halfOpenMaxWait());
        this.probes = config.halfOpenProbes();
        this.transitions = new Transitions(this, time);
        this.state = new AtomicReference<>(new Closed(0, time.nanoTime(), newWindow()));
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
     * The current state, time-driven transitions included: an open breaker whose open duration has passed is
     * {@code half_open}, whether or not a call has arrived since.
     *
     * @return the state
     */
    public BreakerState state() {
        return current().name();
    }

    /** The current state value, after the transitions that time has made due. */
    State current() {
        State current = state.get();
        return current instanceof Closed ? current : settle(current, time.nanoTime());
    }

    /**
     * Makes the transitions that are due at {@code now}: open to half-open once the open duration has passed, and a
     * half-open round's decision once it has waited its longest. Each is dated at its own instant, so a breaker read
     * after a long quiet spell goes through every state it would have gone through, in order.
     */
    private State settle(State current, long now) {
        for (;;) {
            State next;
            if (current instanceof Open open && now - open.until() >= 0) {
                next = new HalfOpen(open.epoch() + 1, open.until());
            } else if (current instanceof HalfOpen halfOpen && halfOpen.expired(now)) {
                next = decision(halfOpen, halfOpen.deadline().get());
            } else {
                return current;
            }
            current = transition(current, next) ? next : state.get();
        }
    }

    /**
     * Adds a listener of state transitions.
     *
     * @param listener the listener
     */
    public void addListener(BreakerListener listener) {
        transitions.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Asks to call the dependency.
     *
     * @return a permit, to be passed to exactly one {@link #onSuccess}, {@link #onFailure} or {@link #onIgnored}
     * @throws BreakerOpenException when the breaker rejects the call
     */
    public long acquirePermit() {
        return acquirePermit(null);
    }

    /**
     * Asks to call the dependency again after a failure.
     *
     * @param previous the failure of the previous attempt, kept as the rejection's cause; {@code null} for none
     */
    long acquirePermit(Throwable previous) {
        State current = state.get();
        if (current instanceof Closed) {
            return current.epoch();
        }
        if (current instanceof ForcedOpen) {
            throw reject(current, previous, 0); // it has no end: no clock to read, a rejection stays cheap
        }
        long now = time.nanoTime();
        for (current = settle(current, now); ; current = settle(state.get(), now)) {
            if (current instanceof Closed) {
                return current.epoch();
            }
            if (current instanceof HalfOpen halfOpen && admitProbe(halfOpen, now)) {
                return halfOpen.epoch();
            }
            if (state.get() == current) {
                throw reject(current, previous, now);
            }
        }
    }

    /** Takes a probe slot, if one is left; the first probe of a round starts its deadline. */
    private boolean admitProbe(HalfOpen halfOpen, long now) {
        AtomicInteger admitted = halfOpen.admitted();
        for (int taken = admitted.get(); taken < probes; taken = admitted.get()) {
            if (admitted.compareAndSet(taken, taken + 1)) {
                if (taken == 0) {
                    halfOpen.deadline().set(now + maxWaitNanos);
                }
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
            onIgnored(permit);
            return Outcome.IGNORED;
        }
        boolean counted = config.recordExceptions().isEmpty() || Causes.anyMatch(failure, config.recordExceptions());
        record(permit, (counted ? Tally.FAILED : 0) | (nanos >= slowNanos ? Tally.SLOW : 0));
        return Outcome.FAILURE;
    }

    /**
     * Reports that a permitted call ended in a way that tells nothing about the dependency: cancelled, interrupted,
     * refused by the caller's own checks, or an ignored exception. It counts as neither success nor failure; in
     * half-open it still used its probe slot, and it completes that probe.
     *
     * @param permit the permit of the call
     */
    public void onIgnored(long permit) {
        State current = state.get();
        if (current instanceof HalfOpen && current.epoch() == permit) {
            current = settle(current, time.nanoTime());
            if (current instanceof HalfOpen halfOpen && halfOpen.epoch() == permit) {
                completeProbe(halfOpen);
            }
        }
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
        } else if (current instanceof HalfOpen) {
            current = settle(current, time.nanoTime()); // a probe that ends past the deadline no longer counts
            if (current instanceof HalfOpen halfOpen && halfOpen.epoch() == permit) {
                halfOpen.tally().addAndGet(Tally.one(bits));
                completeProbe(halfOpen);
            }
        }
    }

    private void completeProbe(HalfOpen halfOpen) {
        if (halfOpen.completed().incrementAndGet() == probes) {
            transition(halfOpen, decision(halfOpen, time.nanoTime()));
        }
    }

    /** What a half-open round turns into at {@code at}: closed on good evidence, else open again. */
    private State decision(HalfOpen halfOpen, long at) {
        long tally = halfOpen.tally().get();
        long next = halfOpen.epoch() + 1;
        if (Tally.calls(tally) == 0 || tripped(tally, 1)) {
            return new Open(next, at, at + openNanos, tally);
        }
        return new Closed(next, at, newWindow());
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
        if (current instanceof Closed) {
            return null;
        }
        long now = time.nanoTime();
        current = settle(current, now);
        if (current instanceof Closed || current instanceof HalfOpen halfOpen && halfOpen.admitted().get() < probes) {
            return null;
        }
        return reject(current, cause, now);
    }

    /** Counts a rejection and describes it, with the time left until a probe may be admitted. */
    private BreakerOpenException reject(State current, Throwable cause, long now) {
        rejected.increment();
        return new BreakerOpenException(name, current.name(), untilProbe(current, now), cause);
    }

    /** Time left until the breaker admits a probe: zero when it would now. */
    private long untilProbe(State current, long now) {
        if (current instanceof Open open) {
            return Math.max(0, open.until() - now);
        }
        if (current instanceof HalfOpen halfOpen) {
            if (halfOpen.admitted().get() < probes) {
                return 0;
            }
            long deadline = halfOpen.deadline().get();
            return deadline == HalfOpen.NO_DEADLINE ? maxWaitNanos : Math.max(0, deadline - now);
        }
        return current instanceof ForcedOpen ? openNanos : 0;
    }

    /** Opens the breaker until {@link #close()} or {@link #reset()} is called. */
    public void forceOpen() {
        moveTo(epoch -> new ForcedOpen(epoch, time.nanoTime()), false);
    }

    /** Closes the breaker with an empty window; does nothing if it is closed already. */
    public void close() {
        moveTo(epoch -> new Closed(epoch, time.nanoTime(), newWindow()), false);
    }

    /** Closes the breaker with an empty window, even if it is closed already, and zeroes the rejected calls. */
    public void reset() {
        moveTo(epoch -> new Closed(epoch, time.nanoTime(), newWindow()), true);
        rejected.reset();
    }

    private void moveTo(LongFunction<State> target, boolean evenIfSameState) {
        for (;;) {
            State current = current();
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
        long now = time.nanoTime();
        State current = settle(state.get(), now);
        Window.Counts counts;
        if (current instanceof Closed closed) {
            counts = closed.window().counts();
        } else if (current instanceof Open open) {
            counts = Window.Counts.of(open.tally());
        } else if (current instanceof HalfOpen halfOpen) {
            counts = Window.Counts.of(halfOpen.tally().get());
        } else {
            counts = new Window.Counts(0, 0, 0);
        }
        Duration remaining = Duration.ofNanos(current instanceof Open ? untilProbe(current, now) : 0);
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
        transitions.happened(to.epoch(), from.name(), to.name(), to.since());
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
