package dev.resilience.sample;

import dev.resilience.test.ManualTimeSource;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** Replaces the starter's system {@code TimeSource} with a {@link ManualTimeSource}. */
@TestConfiguration(proxyBeanMethods = false)
public class ManualTimeConfiguration {

    @Bean
    ManualTimeSource manualTime() {
        return new ManualTimeSource();
    }
}
