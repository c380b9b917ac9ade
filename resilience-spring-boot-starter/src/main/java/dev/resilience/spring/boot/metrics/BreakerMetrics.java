package dev.resilience.spring.boot.metrics;

import dev.resilience.BreakerSnapshot;
import dev.resilience.BreakerState;
import dev.resilience.CircuitBreaker;
import dev.resilience.TimeSource;
import dev.resilience.spring.BreakerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Registers the meters of every circuit breaker, once all singletons exist (the {@link BreakerRegistry} then lists
 * every breaker of the application):
 * <ul>
 * <li>{@code resilience.breaker.state} (gauge; tags {@code breaker}, {@code state} = closed, open, half_open,
 * forced_open): 1 for the current state, 0 for the three others; the four read one sample of the state per scrape
 * (see {@link StateSample}), so a scrape shows exactly one state at 1.</li>
 * <li>{@code resilience.breaker.transitions} (counter; tags {@code breaker}, {@code from}, {@code to}): one per
 * state change. The four automatic transitions (closed to open, open to half_open, half_open to closed, half_open to
 * open) exist at zero from startup; those made by hand appear when they first happen.</li>
 * <li>{@code resilience.breaker.failure.rate} and {@code resilience.breaker.slow.call.rate} (gauges, percent): the
 * rates the breaker decides on, over its window when closed, over the probes when half-open, over the window that
 * opened it when open. <b>NaN while they decide nothing</b>: when closed with fewer than {@code minimum-calls} calls
 * in the window, or with no call to count at all (forced open, or half-open before a probe ends). NaN is never
 * above a threshold, so an alert such as {@code resilience_breaker_failure_rate > 50} cannot fire on one call.</li>
 * <li>{@code resilience.breaker.buffered.calls} (gauge): calls in the window (probes in half-open).</li>
 * <li>{@code resilience.breaker.rejected.calls} (gauge): calls rejected since the breaker was created or reset; for
 * a rate of rejections use {@code resilience.attempts{outcome="rejected"}}.</li>
 * <li>{@code resilience.breaker.open.remaining} (time gauge): time left until an open breaker admits a probe, 0
 * unless open.</li>
 * </ul>
 * Binding a breaker twice registers nothing new. Thread-safe.
 */
public final class BreakerMetrics implements SmartInitializingSingleton {

    static final String STATE = "resilience.breaker.state";
    static final String TRANSITIONS = "resilience.breaker.transitions";
    static final String FAILURE_RATE = "resilience.breaker.failure.rate";
    static final String SLOW_CALL_RATE = "resilience.breaker.slow.call.rate";
    static final String BUFFERED_CALLS = "resilience.breaker.buffered.calls";
    static final String REJECTED_CALLS = "resilience.breaker.rejected.calls";
    static final String OPEN_REMAINING = "resilience.breaker.open.remaining";

    private static final BreakerState[] STATES = BreakerState.values();

    private final MeterRegistry meters;
    private final BreakerRegistry breakers;
    private final TimeSource time;
    private final Map<CircuitBreaker, Boolean> bound = new ConcurrentHashMap<>();

    /**
     * Creates the binder; nothing is registered before {@link #afterSingletonsInstantiated()} or {@link #bind}.
     *
     * @param meters where the meters are registered
     * @param breakers the breakers to bind at startup
     */
    public BreakerMetrics(MeterRegistry meters, BreakerRegistry breakers) {
        this(meters, breakers, TimeSource.system());
    }

    /**
     * Creates the binder; nothing is registered before {@link #afterSingletonsInstantiated()} or {@link #bind}.
     *
     * @param meters where the meters are registered
     * @param breakers the breakers to bind at startup
     * @param time the clock that says when a sample of a breaker's state is too old to serve another series
     */
    public BreakerMetrics(MeterRegistry meters, BreakerRegistry breakers, TimeSource time) {
        this.meters = Objects.requireNonNull(meters, "meters");
        this.breakers = Objects.requireNonNull(breakers, "breakers");
        this.time = Objects.requireNonNull(time, "time");
    }

    /** Registers the meters of every breaker of the registry. */
    @Override
    public void afterSingletonsInstantiated() {
        breakers.all().forEach(this::bind);
    }

    /**
     * Registers the meters of the breaker of that name, if the registry has one, unless they are registered already.
     *
     * @param name the breaker's name
     */
    public void bind(String name) {
        breakers.find(name).ifPresent(this::bind);
    }

    /**
     * Registers the meters of one breaker, unless they are registered already.
     *
     * @param breaker the breaker
     */
    public void bind(CircuitBreaker breaker) {
        if (bound.putIfAbsent(breaker, Boolean.TRUE) != null) {
            return;
        }
        String name = breaker.name();
        StateSample sample = new StateSample(breaker, time);
        for (BreakerState state : STATES) {
            Gauge.builder(STATE, sample, s -> s.is(state))
                    .description("1 for the breaker's current state, 0 for the others")
                    .tags("breaker", name, "state", state.tag())
                    .strongReference(true)
                    .register(meters);
        }
        gauge(breaker, FAILURE_RATE, "Percent of failed calls the breaker decides on; NaN while it decides nothing"
                + " (closed below minimum-calls, or no call to count)", "percent", s -> decided(s, s.failureRate()));
        gauge(breaker, SLOW_CALL_RATE, "Percent of slow calls the breaker decides on; NaN while it decides nothing"
                + " (closed below minimum-calls, or no call to count)", "percent", s -> decided(s, s.slowCallRate()));
        gauge(breaker, BUFFERED_CALLS, "Calls in the breaker's window (the probes when half-open)", "calls",
                BreakerSnapshot::bufferedCalls);
        gauge(breaker, REJECTED_CALLS, "Calls the breaker rejected since it was created or reset", "calls",
                BreakerSnapshot::rejectedCalls);
        TimeGauge.builder(OPEN_REMAINING, breaker, TimeUnit.NANOSECONDS,
                        b -> b.snapshot().remainingOpen().toNanos())
                .description("Time left until the open breaker admits a probe; 0 unless open")
                .tags("breaker", name)
                .strongReference(true)
                .register(meters);
        TransitionCounters transitions = new TransitionCounters(meters, name);
        transitions.counter(BreakerState.CLOSED, BreakerState.OPEN);
        transitions.counter(BreakerState.OPEN, BreakerState.HALF_OPEN);
        transitions.counter(BreakerState.HALF_OPEN, BreakerState.CLOSED);
        transitions.counter(BreakerState.HALF_OPEN, BreakerState.OPEN);
        breaker.addListener((b, from, to, ago) -> transitions.counter(from, to).increment());
    }

    private void gauge(CircuitBreaker breaker, String name, String description, String unit,
            ToDoubleFunction<BreakerSnapshot> value) {
        Gauge.builder(name, breaker, b -> value.applyAsDouble(b.snapshot()))
                .description(description)
                .baseUnit(unit)
                .tags("breaker", breaker.name())
                .strongReference(true)
                .register(meters);
    }

    /**
     * A rate, or NaN while the breaker decides nothing on it.
     *
     * @param snapshot the breaker's snapshot
     * @param rate the rate in it
     * @return the rate, or NaN
     */
    static double decided(BreakerSnapshot snapshot, double rate) {
        boolean undecided = snapshot.bufferedCalls() == 0
                || snapshot.state() == BreakerState.CLOSED && snapshot.bufferedCalls() < snapshot.minimumCalls();
        return undecided ? Double.NaN : rate;
    }

    /** The transition counters of one breaker, registered on first use and then kept. */
    private static final class TransitionCounters {

        private final MeterRegistry meters;
        private final String breaker;
        private final Counter[] counters = new Counter[STATES.length * STATES.length];

        TransitionCounters(MeterRegistry meters, String breaker) {
            this.meters = meters;
            this.breaker = breaker;
        }

        Counter counter(BreakerState from, BreakerState to) {
            int slot = from.ordinal() * STATES.length + to.ordinal();
            Counter counter = counters[slot];
            if (counter == null) {
                counter = Counter.builder(TRANSITIONS)
                        .description("State changes of a breaker")
                        .tags("breaker", breaker, "from", from.tag(), "to", to.tag())
                        .register(meters); // idempotent: a race registers the same counter twice
                counters[slot] = counter;
            }
            return counter;
        }
    }
}
