package dev.resilience.spring.boot.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Makes the observation of each guarded call, named and tagged by the application's
 * {@link ResilienceObservationConvention} when it has one, else by a {@code GlobalObservationConvention} of the
 * registry that supports it, else by {@link DefaultResilienceObservationConvention}; and stops it with the outcome
 * the caller saw.
 */
final class OperationObservations {

    private static final DefaultResilienceObservationConvention DEFAULT = new DefaultResilienceObservationConvention();

    private final Supplier<ObservationRegistry> registry;
    private final @Nullable ResilienceObservationConvention convention;

    /**
     * @param registry supplies the registry, asked at each call
     * @param convention the application's convention, or {@code null} for the registry's or the default one
     */
    OperationObservations(Supplier<ObservationRegistry> registry, @Nullable ResilienceObservationConvention convention) {
        this.registry = registry;
        this.convention = convention;
    }

    ObservationRegistry registry() {
        return registry.get();
    }

    /** A new observation of the call whose context this is, not started. */
    Observation create(OperationContext context, ObservationRegistry observations) {
        return ResilienceObservationDocumentation.GUARDED_CALL.observation(convention, DEFAULT, () -> context,
                observations);
    }

    /**
     * Stops the observation of a call: its outcome is the guard's own verdict when the guard reported on this
     * call, else what the caller got (success, or the breaker's rejection, or a failure).
     *
     * @param failure what the caller got, {@code null} for a value
     */
    static void stop(Observation observation, OperationContext context, @Nullable Throwable failure) {
        if (failure != null) {
            observation.error(CallerOutcome.unwrap(failure));
        }
        if (context.outcome() == null) {
            context.outcome(CallerOutcome.outcomeOf(failure));
        }
        observation.stop();
    }
}
