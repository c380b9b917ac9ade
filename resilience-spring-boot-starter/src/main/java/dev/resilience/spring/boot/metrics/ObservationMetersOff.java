package dev.resilience.spring.boot.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Keeps each call timed once: denies the meters that Micrometer's default observation handler derives from the
 * {@code resilience.guarded.call} observation ({@code resilience.guarded.call}, {@code .active} and one counter per
 * event), which time and count the very calls that the contract's {@code resilience.operations} does, unless
 * Spring Boot's {@code management.metrics.enable} names them: with
 * {@code management.metrics.enable.resilience.guarded.call=true} they are registered (and Boot's own filter decides
 * on them, as on any meter). The observation itself, and its spans, are not affected.
 */
public final class ObservationMetersOff implements MeterFilter {

    /** The name of the observation, and the prefix of every meter derived from it. */
    static final String PREFIX = "resilience.guarded.call";

    private final Set<String> named;

    /**
     * @param named the keys of {@code management.metrics.enable} (meter names or their prefixes)
     */
    ObservationMetersOff(Set<String> named) {
        this.named = Set.copyOf(named);
    }

    /** Reads the keys of {@code management.metrics.enable} from the environment. */
    static ObservationMetersOff of(Environment environment) {
        Map<String, Boolean> enable = Binder.get(environment)
                .bind("management.metrics.enable", Bindable.mapOf(String.class, Boolean.class))
                .orElse(Map.of());
        return new ObservationMetersOff(enable.keySet());
    }

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        String name = id.getName();
        if (!isDerived(name)) {
            return MeterFilterReply.NEUTRAL;
        }
        for (String key : named) {
            if (isDerived(key) && (name.equals(key) || name.startsWith(key + "."))) {
                return MeterFilterReply.NEUTRAL;
            }
        }
        return MeterFilterReply.DENY;
    }

    private static boolean isDerived(String name) {
        return name.equals(PREFIX) || name.startsWith(PREFIX + ".");
    }
}
