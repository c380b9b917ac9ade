package dev.resilience.sample.standin;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Starts the stand-ins when {@code checkout.stand-in.enabled=true} (the profile {@code demo} sets it). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("checkout.stand-in.enabled")
@EnableConfigurationProperties(StandInProperties.class)
class StandInConfiguration {

    @Bean
    StandIn standIn(StandInProperties properties) {
        return new StandIn(properties);
    }
}
