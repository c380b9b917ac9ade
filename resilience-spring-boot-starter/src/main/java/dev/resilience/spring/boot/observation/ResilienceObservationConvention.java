package dev.resilience.spring.boot.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observation of a guarded call. Declare a bean of this type to replace
 * {@link DefaultResilienceObservationConvention} (extending it keeps what you do not override); without one, a
 * {@code GlobalObservationConvention} registered with the {@code ObservationRegistry} applies, if any supports
 * {@link OperationContext}.
 *
 * @see ResilienceObservationDocumentation#GUARDED_CALL
 */
public interface ResilienceObservationConvention extends ObservationConvention<OperationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof OperationContext;
    }
}
