package dev.resilience.spring.boot.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.Map;

/**
 * Gives a description to the meters that Micrometer's default observation handler derives from the
 * {@code resilience.guarded.call} observation (it gives them none): {@code resilience.guarded.call} (timer; tags
 * {@code method}, {@code breaker}, {@code outcome}, {@code error}), {@code resilience.guarded.call.active} (long
 * task timer of the calls in flight) and {@code resilience.guarded.call.retry} (counter of the retry events). Each
 * description points to the contract's meter for the same calls, so that neither is taken for the other.
 */
public final class ObservationMeterDescriptions implements MeterFilter {

    private static final Map<String, String> DESCRIPTIONS = Map.of(
            "resilience.guarded.call", "Calls of a guarded method as its caller sees them, from their observation,"
                    + " with the exception type the caller got (resilience.operations counts the same calls by"
                    + " outcome and retried)",
            "resilience.guarded.call.active", "Calls of a guarded method in progress, from their observation",
            "resilience.guarded.call.retry", "Retries of a guarded method, from their observation (the attempts"
                    + " themselves are in resilience.attempts)");

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
