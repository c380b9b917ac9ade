package dev.resilience.spring.boot.endpoint;

import dev.resilience.CircuitBreaker;
import dev.resilience.spring.BreakerRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Keeps the last {@value #CAPACITY} state transitions of every breaker, in the order they happened, with the
 * wall-clock time at which each happened to the millisecond (a time-driven transition heard late is dated at its
 * instant), for the {@code breakers} endpoint. It starts listening to every breaker of the registry once all
 * singletons exist, and to any other breaker when it is first asked about it. Thread-safe.
 */
public final class TransitionLog implements SmartInitializingSingleton {

    /** Transitions kept per breaker; older ones are dropped. */
    public static final int CAPACITY = 20;

    private final BreakerRegistry breakers;
    private final Clock clock;
    private final Map<CircuitBreaker, Recent> logs = new ConcurrentHashMap<>();

    /**
     * Creates the log; it listens to nothing before {@link #afterSingletonsInstantiated()} or {@link #recent}.
     *
     * @param breakers the breakers to listen to at startup
     * @param clock the clock that dates each transition
     */
    public TransitionLog(BreakerRegistry breakers, Clock clock) {
        this.breakers = Objects.requireNonNull(breakers, "breakers");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Starts listening to every breaker of the registry. */
    @Override
    public void afterSingletonsInstantiated() {
        breakers.all().forEach(this::log);
    }

    /**
     * The recent transitions of a breaker, oldest first.
     *
     * @param breaker the breaker
     * @return at most {@value #CAPACITY} transitions, unmodifiable
     */
    public List<Transition> recent(CircuitBreaker breaker) {
        return log(breaker).copy();
    }

    private Recent log(CircuitBreaker breaker) {
        return logs.computeIfAbsent(breaker, b -> {
            Recent recent = new Recent();
            b.addListener((source, from, to, ago) -> recent.add(
                    new Transition(from.tag(), to.tag(), clock.instant().minusMillis(ago.toMillis()))));
            return recent;
        });
    }

    /**
     * One state transition.
     *
     * @param from the state left: closed, open, half_open or forced_open
     * @param to the state entered
     * @param at when it happened
     */
    public record Transition(String from, String to, Instant at) {
    }

    /** A bounded, oldest-first buffer; its lock is held only to copy a few references. */
    private static final class Recent {

        private final ArrayDeque<Transition> transitions = new ArrayDeque<>(CAPACITY);

        synchronized void add(Transition transition) {
            if (transitions.size() == CAPACITY) {
                transitions.removeFirst();
            }
            transitions.addLast(transition);
        }

        synchronized List<Transition> copy() {
            return List.copyOf(transitions);
        }
    }
}
