package dev.resilience.sample;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** Replaces the starter's system {@code TimeSource} with a {@link ManualTime}. */
@TestConfiguration(proxyBeanMethods = false)
public class ManualTimeConfiguration {

    @Bean
    ManualTime manualTime() {
        return new ManualTime();
    }
}
