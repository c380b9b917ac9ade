package dev.resilience.spring.boot.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Over real HTTP, with the actuator on a port of its own: the page is served there, at the same path, with the
 * actuator's base path; the application's port does not serve it.
 */
@SpringBootTest(classes = DashboardApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "resilience.dashboard.enabled=true", "management.server.port=0",
        "management.endpoints.web.base-path=/manage", "management.endpoints.web.exposure.include=breakers",
        "resilience.breaker.instances.payments.minimum-calls=5" })
class DashboardOnManagementPortTests {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Test
    void thePageIsServedOnTheManagementPortOnly() {
        // when
        HttpResponse<String> onManagement = get(managementPort, "/resilience/dashboard");
        HttpResponse<String> onApplication = get(port, "/resilience/dashboard");
        HttpResponse<String> breakers = get(managementPort, "/manage/breakers");

        // then
        assertThat(managementPort).isNotEqualTo(port);
        assertThat(onManagement.statusCode()).isEqualTo(200);
        assertThat(onManagement.headers().firstValue("Content-Type")).hasValue("text/html;charset=UTF-8");
        assertThat(onManagement.body()).contains("var BASE_PATH = \"/manage\";");
        assertThat(onApplication.statusCode()).isEqualTo(404);
        assertThat(breakers.statusCode()).isEqualTo(200);
        assertThat(breakers.body()).contains("\"name\":\"payments\"");
    }

    static HttpResponse<String> get(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }
}
