package dev.resilience.spring.boot.dashboard;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Properties under {@code resilience.dashboard}: the operator's page.
 *
 * @see DashboardManagementContextConfiguration
 */
@ConfigurationProperties("resilience.dashboard")
public class DashboardProperties {

    /**
     * Whether to serve the operator's page at /resilience/dashboard (on the management port when
     * management.server.port is set): every breaker's state, failure and slow-call rates, attempts and operations
     * per second and recent transitions, read from the actuator's breakers and metrics endpoints, which must be
     * exposed.
     */
    private boolean enabled = false;

    /** @return whether the operator's page is served */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether the operator's page is served */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }
}
