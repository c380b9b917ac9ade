package dev.resilience.security;

import dev.resilience.spring.boot.endpoint.BreakersEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/** The filter chain of docs/security.md, word for word ({@link SecurityDocTests} compares them). */
@Configuration(proxyBeanMethods = false)
class DocumentedChain {

    @Bean
    @Order(1)
    SecurityFilterChain actuator(HttpSecurity http) throws Exception {
        http.securityMatcher(EndpointRequest.toAnyEndpoint())
            .authorizeHttpRequests(requests -> requests
                .requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll()
                .requestMatchers(EndpointRequest.to(BreakersEndpoint.class).withHttpMethod(HttpMethod.POST))
                    .hasRole("OPERATOR")
                .requestMatchers(EndpointRequest.to(BreakersEndpoint.class)).hasAnyRole("OPERATOR", "MONITORING")
                .anyRequest().hasRole("MONITORING"))
            .httpBasic(Customizer.withDefaults());
        return http.build();
    }
}
