package dev.resilience.spring.boot.dashboard;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Import;

/**
 * Serves the operator's page, {@code GET /resilience/dashboard}, where the actuator's endpoints are served: in the
 * application's own context when the actuator shares its port, in the actuator's child context when
 * {@code management.server.port} gives it a port of its own (the page is then on that port only, at the same
 * path). Active only with {@code resilience.dashboard.enabled=true}, in a servlet (Spring MVC) or a reactive
 * (WebFlux) web application: each stack gets a {@code RouterFunction} bean named {@code resilienceDashboardRoute},
 * which a bean of that name in the same context replaces. The page is rendered once, with
 * {@code management.endpoints.web.base-path} (default {@code /actuator}) written into it.
 */
@ManagementContextConfiguration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "resilience.dashboard", name = "enabled", havingValue = "true")
@Import({ ServletDashboardRoute.class, ReactiveDashboardRoute.class })
public final class DashboardManagementContextConfiguration {

    /** The name of the route bean of either stack. */
    static final String ROUTE = "resilienceDashboardRoute";
}
