package dev.resilience.spring.boot.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.Map;

/**
 * Gives a description to the meters that Micrometer's default observation handler derives from the
 * {@code resilience.operation} observation (it gives them none): {@code resilience.operation} (timer; tags
 * {@code method}, {@code breaker}, {@code outcome}, {@code error}), {@code resilience.operation.active} (long task
 * timer of the operations in flight) and {@code resilience.operation.retry} (counter of the retry events).
 */
public final class ObservationMeterDescriptions implements MeterFilter {

    private static final Map<String, String> DESCRIPTIONS = Map.of(
            "resilience.operation", "Observed calls of a guarded method as its caller sees them, with the"
                    + " exception type the caller got",
            "resilience.operation.active", "Calls of a guarded method in progress",
            "resilience.operation.retry", "Retries of a guarded method, counted from its observation");

    @Override
    public Meter.Id map(Meter.Id id) {
        String description = DESCRIPTIONS.get(id.getName());
        if (description == null || id.getDescription() != null) {
            return id;
        }
        return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), description,
                id.getType());
    }
}
