package dev.resilience.security;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/** A web application with the actuator, the starter and Spring Security: an operator and a monitoring user. */
@SpringBootConfiguration
@EnableAutoConfiguration
class SecuredApp {

    static final String OPERATOR = "operator";
    static final String MONITOR = "monitor";
    static final String PASSWORD = "secret";

    @Bean
    UserDetailsService users() {
        return new InMemoryUserDetailsManager(
                User.withUsername(OPERATOR).password("{noop}" + PASSWORD).roles("OPERATOR").build(),
                User.withUsername(MONITOR).password("{noop}" + PASSWORD).roles("MONITORING").build());
    }
}
