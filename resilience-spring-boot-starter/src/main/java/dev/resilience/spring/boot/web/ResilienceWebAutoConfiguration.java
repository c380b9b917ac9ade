package dev.resilience.spring.boot.web;

import dev.resilience.Pushback;
import dev.resilience.spring.boot.autoconfigure.ResilienceAutoConfiguration;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.client.RestClientResponseException;

/**
 * Pushback from Spring's HTTP clients, active when {@code spring-web} is on the classpath: a retry waits as long as
 * a {@code 429} or {@code 503} answer's {@code Retry-After} asks. The application's {@link Pushback} beans are asked
 * first.
 */
@AutoConfiguration(before = ResilienceAutoConfiguration.class)
@ConditionalOnClass(RestClientResponseException.class)
public final class ResilienceWebAutoConfiguration {

    /** Ordered last, so that the application's pushbacks are asked first. */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    Pushback resilienceHttpRetryAfterPushback(ObjectProvider<Clock> clock) {
        return new HttpRetryAfterPushback(clock.getIfAvailable(Clock::systemUTC));
    }
}
