package dev.resilience.spring.boot.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Over real HTTP, with the actuator on the application's port: the page is served there, beside the endpoints. */
@SpringBootTest(classes = DashboardApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "resilience.dashboard.enabled=true", "management.endpoints.web.exposure.include=breakers,metrics",
        "resilience.breaker.instances.payments.minimum-calls=5" })
class DashboardOnApplicationPortTests {

    @LocalServerPort
    int port;

    @Test
    void thePageIsServedBesideTheActuatorsEndpoints() {
        // when
        HttpResponse<String> page = DashboardOnManagementPortTests.get(port, "/resilience/dashboard");
        HttpResponse<String> breakers = DashboardOnManagementPortTests.get(port, "/actuator/breakers");

        // then
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(page.body()).contains("var BASE_PATH = \"/actuator\";");
        assertThat(breakers.statusCode()).isEqualTo(200);
    }
}
