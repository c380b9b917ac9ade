package dev.resilience.spring.boot.endpoint;

import dev.resilience.BreakerConfig;
import dev.resilience.BreakerSnapshot;
import dev.resilience.BreakerState;
import dev.resilience.BudgetConfig;
import dev.resilience.CircuitBreaker;
import dev.resilience.RetryBudget;
import dev.resilience.spring.BreakerRegistry;
import dev.resilience.spring.RetryBudgets;
import dev.resilience.spring.boot.endpoint.TransitionLog.Transition;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code breakers} actuator endpoint: {@code GET /actuator/breakers} lists every breaker,
 * {@code GET /actuator/breakers/{name}} shows one (404 for an unknown name), and
 * {@code POST /actuator/breakers/{name}} with {@code {"state": "forced_open"}}, {@code "closed"} or {@code "reset"}
 * changes one (404 for an unknown name, through {@link BreakersEndpointWebExtension}; 400 for another state). It
 * never creates a breaker.
 *
 * <p>Its default access is read-only: the POST is refused until
 * {@code management.endpoint.breakers.access=unrestricted}. Durations are ISO-8601 ({@code PT30S}), states and
 * window types lowercase, transitions oldest first. Its answers are {@link OperationResponseBody operation response
 * bodies}: the actuator writes them with its own JSON settings, so the application's {@code spring.jackson.*}
 * settings leave them as they are. Thread-safe.
 */
@Endpoint(id = "breakers", defaultAccess = Access.READ_ONLY)
public final class BreakersEndpoint {

    private final BreakerRegistry breakers;
    private final TransitionLog transitions;
    private final @Nullable RetryBudgets budgets;

    /**
     * Creates the endpoint.
     *
     * @param breakers the breakers it shows and changes
     * @param transitions the recent transitions of each breaker
     */
    public BreakersEndpoint(BreakerRegistry breakers, TransitionLog transitions) {
        this(breakers, transitions, null);
    }

    /**
     * Creates the endpoint.
     *
     * @param breakers the breakers it shows and changes
     * @param transitions the recent transitions of each breaker
     * @param budgets the retry budget of each breaker's dependency, or {@code null} for none
     */
    public BreakersEndpoint(BreakerRegistry breakers, TransitionLog transitions, @Nullable RetryBudgets budgets) {
        this.breakers = Objects.requireNonNull(breakers, "breakers");
        this.transitions = Objects.requireNonNull(transitions, "transitions");
        this.budgets = budgets;
    }

    /**
     * Every breaker, sorted by name.
     *
     * @return the breakers
     */
    @ReadOperation
    public BreakersDescriptor breakers() {
        return new BreakersDescriptor(breakers.all().stream().map(this::describe).toList());
    }

    /**
     * One breaker.
     *
     * @param name the breaker's name
     * @return the breaker, or {@code null} (404) when there is none of that name
     */
    @ReadOperation
    public @Nullable BreakerDescriptor breaker(@Selector String name) {
        return breakers.find(name).map(this::describe).orElse(null);
    }

    /**
     * Forces a breaker open, closes it, or resets it (closes it with an empty window and zero rejected calls).
     *
     * @param name the breaker's name
     * @param state {@code forced_open}, {@code closed} or {@code reset}
     * @return the breaker after the change, or {@code null} when there is none of that name (the web extension
     *     answers 404)
     * @throws InvalidEndpointRequestException (400) for another state
     */
    @WriteOperation
    public @Nullable BreakerDescriptor changeState(@Selector String name, String state) {
        CircuitBreaker breaker = breakers.find(name).orElse(null);
        if (breaker == null) {
            return null;
        }
        switch (state) {
            case "forced_open" -> breaker.forceOpen();
            case "closed" -> breaker.close();
            case "reset" -> breaker.reset();
            default -> {
                String message = "'state' for breaker '" + name + "' must be forced_open, closed or reset, but was '"
                        + state + "'";
                throw new InvalidEndpointRequestException(message, message);
            }
        }
        return describe(breaker);
    }

    private BreakerDescriptor describe(CircuitBreaker breaker) {
        BreakerSnapshot snapshot = breaker.snapshot();
        return new BreakerDescriptor(breaker.name(), State.of(snapshot.state()), SettingsDescriptor.of(breaker.config()),
                snapshot.failureRate(), snapshot.slowCallRate(), snapshot.bufferedCalls(), snapshot.failedCalls(),
                snapshot.slowCalls(), snapshot.minimumCalls(), snapshot.rejectedCalls(),
                snapshot.remainingOpen().toString(), transitions.recent(breaker), budget(breaker.name()));
    }

    private @Nullable BudgetDescriptor budget(String name) {
        if (budgets == null) {
            return null;
        }
        BudgetConfig config = budgets.config(name);
        Double available = budgets.find(name).map(RetryBudget::available).orElse(null);
        return new BudgetDescriptor(config.enabled(), config.ratio(), config.minRetriesPerSecond(),
                config.window().toString(), available);
    }

    /**
     * Every breaker.
     *
     * @param breakers the breakers, sorted by name
     */
    public record BreakersDescriptor(List<BreakerDescriptor> breakers) implements OperationResponseBody {
    }

    /** A breaker's state, written in lowercase: {@code closed}, {@code open}, {@code half_open}, {@code forced_open}. */
    public enum State {

        /** Calls flow. */
        CLOSED(BreakerState.CLOSED),
        /** Calls are rejected until the open duration has passed. */
        OPEN(BreakerState.OPEN),
        /** A few probes are admitted; their outcomes decide. */
        HALF_OPEN(BreakerState.HALF_OPEN),
        /** Opened by hand, until closed or reset by hand. */
        FORCED_OPEN(BreakerState.FORCED_OPEN);

        private final BreakerState state;

        State(BreakerState state) {
            this.state = state;
        }

        /**
         * The endpoint's name of a breaker's state.
         *
         * @param state the breaker's state
         * @return its state here
         */
        public static State of(BreakerState state) {
            return switch (state) {
                case CLOSED -> CLOSED;
                case OPEN -> OPEN;
                case HALF_OPEN -> HALF_OPEN;
                case FORCED_OPEN -> FORCED_OPEN;
            };
        }

        /**
         * The state's lowercase name, as in the metrics' tags.
         *
         * @return {@code closed}, {@code open}, {@code half_open} or {@code forced_open}
         */
        @JsonValue
        public String tag() {
            return state.tag();
        }

        @Override
        public String toString() {
            return tag();
        }
    }

    /**
     * One breaker as it is now.
     *
     * @param name its name
     * @param state closed, open, half_open or forced_open
     * @param config its effective settings
     * @param failureRate percent of failed calls in the window (the probes when half-open, the window that opened
     *     it when open); 0 with no call; it decides nothing while {@code bufferedCalls} is below
     *     {@code minimumCalls}
     * @param slowCallRate percent of slow calls, like {@code failureRate}
     * @param bufferedCalls calls in the window
     * @param failedCalls failed calls in the window
     * @param slowCalls slow calls in the window
     * @param minimumCalls calls needed in the window before a decision
     * @param rejectedCalls calls rejected since it was created or reset
     * @param remainingOpen time until an open breaker admits a probe, ISO-8601; {@code PT0S} unless open
     * @param transitions its last state changes, oldest first
     * @param retryBudget the retry budget of its dependency; {@code null} without budgets
     */
    public record BreakerDescriptor(String name, State state, SettingsDescriptor config, double failureRate,
            double slowCallRate, long bufferedCalls, long failedCalls, long slowCalls, int minimumCalls,
            long rejectedCalls, String remainingOpen, List<Transition> transitions,
            @Nullable BudgetDescriptor retryBudget) implements OperationResponseBody {
    }

    /**
     * The retry budget of a breaker's dependency.
     *
     * @param enabled whether it limits retries
     * @param ratio share of the first attempts that retries may add
     * @param minRetriesPerSecond retries always allowed per second
     * @param window span over which attempts are counted, ISO-8601
     * @param available retries it would allow now; {@code null} when it is disabled
     */
    public record BudgetDescriptor(boolean enabled, double ratio, int minRetriesPerSecond, String window,
            @Nullable Double available) {
    }

    /**
     * A breaker's effective settings, named as under {@code resilience.breaker.instances.<name>} in camel case.
     *
     * @param windowType count or time
     * @param windowSize calls kept by a count window
     * @param windowDuration span of a time window, ISO-8601
     * @param minimumCalls calls needed in the window before a decision
     * @param failureRateThreshold percent at or above which it opens
     * @param slowCallDuration duration at or above which a call is slow, ISO-8601
     * @param slowCallRateThreshold percent of slow calls at or above which it opens
     * @param openDuration time open before probing, ISO-8601
     * @param halfOpenProbes calls admitted in half-open
     * @param halfOpenMaxWait longest time half-open waits for its probes, ISO-8601
     * @param recordExceptions class names counted as failures; empty means every exception
     * @param ignoreExceptions class names counted as neither success nor failure
     * @param outOfServiceWhenOpen whether it reports OUT_OF_SERVICE to health checks while open
     */
    public record SettingsDescriptor(String windowType, int windowSize, String windowDuration, int minimumCalls,
            double failureRateThreshold, String slowCallDuration, double slowCallRateThreshold, String openDuration,
            int halfOpenProbes, String halfOpenMaxWait, List<String> recordExceptions, List<String> ignoreExceptions,
            boolean outOfServiceWhenOpen) {

        static SettingsDescriptor of(BreakerConfig config) {
            return new SettingsDescriptor(config.windowType().name().toLowerCase(Locale.ROOT), config.windowSize(),
                    config.windowDuration().toString(), config.minimumCalls(), config.failureRateThreshold(),
                    config.slowCallDuration().toString(), config.slowCallRateThreshold(),
                    config.openDuration().toString(), config.halfOpenProbes(), config.halfOpenMaxWait().toString(),
                    config.recordExceptions().stream().map(Class::getName).toList(),
                    config.ignoreExceptions().stream().map(Class::getName).toList(), config.outOfServiceWhenOpen());
        }
    }
}
