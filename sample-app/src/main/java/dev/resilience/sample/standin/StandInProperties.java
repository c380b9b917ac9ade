package dev.resilience.sample.standin;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The embedded stand-ins for the payments and prices services, used by the demo.
 *
 * @param enabled whether to start them (the profile {@code demo} does)
 * @param paymentsPort port of the payments stand-in on 127.0.0.1; 0 for any free port
 * @param pricesPort port of the prices stand-in on 127.0.0.1; 0 for any free port
 * @param slowDelay how long a stand-in in mode {@code slow} waits before answering
 */
@ConfigurationProperties("checkout.stand-in")
public record StandInProperties(@DefaultValue("false") boolean enabled, @DefaultValue("9081") int paymentsPort,
        @DefaultValue("9082") int pricesPort, @DefaultValue("5s") Duration slowDelay) {
}
