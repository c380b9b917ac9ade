package dev.resilience.sample.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.sample.FreePort;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The operator's page where the actuator does not expose {@code metrics}: it still shows the breakers, and says
 * which endpoint it misses and which property exposes it.
 */
@ExtendWith(InstalledProgram.Browser.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "checkout.stand-in.enabled=true", "resilience.dashboard.enabled=true",
        "management.endpoints.web.exposure.include=health,breakers", "logging.level.org.openqa.selenium=error" })
class DashboardWithoutMetricsBrowserTests {

    private static final int PAYMENTS_PORT = FreePort.onLoopback();
    private static final int PRICES_PORT = FreePort.onLoopback();

    @DynamicPropertySource
    static void standIns(DynamicPropertyRegistry registry) {
        registry.add("checkout.stand-in.payments-port", () -> PAYMENTS_PORT);
        registry.add("checkout.stand-in.prices-port", () -> PRICES_PORT);
        registry.add("checkout.payments-url", () -> "http://127.0.0.1:" + PAYMENTS_PORT);
        registry.add("checkout.prices-url", () -> "http://127.0.0.1:" + PRICES_PORT);
    }

    @LocalServerPort
    private int port;

    private HeadlessChromium browser;

    @BeforeEach
    void onThePage() {
        browser = new HeadlessChromium();
        browser.open("http://127.0.0.1:" + port + "/resilience/dashboard");
    }

    @AfterEach
    void closed() {
        browser.close();
    }

    @Test
    void thePageNamesTheEndpointItMissesAndThePropertyThatExposesIt() throws IOException {
        // when
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.text("[data-missing-endpoint='metrics']") != null);

        // then
        assertThat(browser.text("[data-missing-endpoint='metrics']"))
                .contains("needs the actuator endpoint metrics, which is not exposed")
                .contains("management.endpoints.web.exposure.include");
        assertThat(browser.attribute("[data-breaker='payments']", "data-state")).isEqualTo("closed");
        assertThat(browser.text("[data-card='payments']")).contains("the metrics endpoint is not readable");
        Files.createDirectories(DashboardBrowserTests.SCREENSHOTS);
        Files.write(DashboardBrowserTests.SCREENSHOTS.resolve("dashboard-without-metrics.png"), browser.screenshot());
    }
}
