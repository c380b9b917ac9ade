package dev.resilience.spring.boot.dashboard;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The operator's page's properties ({@code resilience.dashboard.*}), bound whether the page is on or off, so that
 * the starter's check for unknown {@code resilience.} keys accepts them. The page itself is served by
 * {@link DashboardManagementContextConfiguration}, where the actuator's endpoints are served.
 */
@AutoConfiguration
@EnableConfigurationProperties(DashboardProperties.class)
public final class ResilienceDashboardAutoConfiguration {

    @Bean
    static ConfigurationPropertiesBindHandlerAdvisor resilienceDashboardKeys() {
        return new DashboardKeys();
    }
}
