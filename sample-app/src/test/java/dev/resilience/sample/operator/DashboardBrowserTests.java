package dev.resilience.sample.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.CircuitBreaker;
import dev.resilience.sample.CheckoutClient;
import dev.resilience.sample.FreePort;
import dev.resilience.sample.ManualTimeConfiguration;
import dev.resilience.sample.standin.StandIn;
import dev.resilience.sample.standin.StandInMode;
import dev.resilience.spring.BreakerRegistry;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The operator's page in Debian's headless Chromium, against the whole sample application and its stand-ins: the
 * page follows a breaker forced open and reset through the actuator within 3 seconds, shows the retries'
 * amplification (the payments breaker's window is made too large to open by itself, and its retry budget, which
 * would cap the retries, is off) and a breaker that opened by itself, and leaves a screenshot in
 * {@code target/dashboard/dashboard-forced-open.png} ({@code -Ddashboard.screenshot.docs=true} also copies it to
 * {@code docs/dashboard.png}, the README's). Skipped without Chromium unless {@code TESTS_REQUIRE_BROWSER=true}.
 */
@ExtendWith(InstalledProgram.Browser.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "checkout.stand-in.enabled=true", "resilience.dashboard.enabled=true",
        "management.endpoint.breakers.access=unrestricted", "logging.level.org.openqa.selenium=error",
        "resilience.breaker.instances.payments.window-size=1000",
        "resilience.breaker.instances.payments.minimum-calls=1000",
        "resilience.retry.budget.instances.payments.enabled=false" })
@Import(ManualTimeConfiguration.class)
class DashboardBrowserTests {

    private static final int PAYMENTS_PORT = FreePort.onLoopback();
    private static final int PRICES_PORT = FreePort.onLoopback();
    private static final Duration PAGE_FOLLOWS_WITHIN = Duration.ofSeconds(3);
    static final Path SCREENSHOTS = Path.of("target", "dashboard");

    @DynamicPropertySource
    static void standIns(DynamicPropertyRegistry registry) {
        registry.add("checkout.stand-in.payments-port", () -> PAYMENTS_PORT);
        registry.add("checkout.stand-in.prices-port", () -> PRICES_PORT);
        registry.add("checkout.payments-url", () -> "http://127.0.0.1:" + PAYMENTS_PORT);
        registry.add("checkout.prices-url", () -> "http://127.0.0.1:" + PRICES_PORT);
    }

    @LocalServerPort
    private int port;

    @Autowired
    private StandIn standIn;

    @Autowired
    private BreakerRegistry breakers;

    private CheckoutClient checkout;
    private HeadlessChromium browser;
    private ScheduledExecutorService shoppers;

    @BeforeEach
    void healthyAndOnThePage() {
        checkout = new CheckoutClient(port);
        standIn.names().forEach(name -> standIn.switchTo(name, StandInMode.HEALTHY));
        breakers.all().forEach(CircuitBreaker::reset);
        browser = new HeadlessChromium();
        browser.open("http://127.0.0.1:" + port + "/resilience/dashboard");
    }

    @AfterEach
    void stopped() {
        if (shoppers != null) {
            shoppers.shutdownNow();
        }
        browser.close();
        standIn.names().forEach(name -> standIn.switchTo(name, StandInMode.HEALTHY));
        breakers.all().forEach(CircuitBreaker::reset);
    }

    @Test
    void theBadgeFollowsABreakerForcedOpenAndResetThroughTheActuatorWithinThreeSeconds() throws IOException {
        // given: both breakers on the page, and shoppers paying orders and reading a payment
        await().atMost(Duration.ofSeconds(10)).until(() -> "closed".equals(state("payments"))
                && "closed".equals(state("prices")));
        String chargeId = chargeIdOf(checkout.order("book-42"));
        shoppers = Executors.newSingleThreadScheduledExecutor();
        shoppers.scheduleAtFixedRate(() -> {
            checkout.order("book-42");
            checkout.charge(chargeId);
        }, 0, 40, TimeUnit.MILLISECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> amplification("payments") == 1.0);

        // when: payments fails (its reads are retried, its window is too large to decide) and prices fails
        standIn.switchTo("payments", StandInMode.FAILING);
        standIn.switchTo("prices", StandInMode.FAILING);

        // then: each payments operation takes 2 attempts on average (a charge 1, a read 3); prices opens by itself
        await().atMost(Duration.ofSeconds(8)).until(() -> amplification("payments") > 1.6);
        await().atMost(Duration.ofSeconds(5)).until(() -> "open".equals(state("prices")));
        assertThat(browser.text("[data-card='prices'] .rate")).contains("Failure rate").contains("opens at 50 %");
        assertThat(browser.script("return document.querySelectorAll(\"[data-card='prices'] .fill.over\").length"))
                .as("the prices breaker's failure rate drawn at or above its threshold").isEqualTo(1L);

        // when
        long forced = System.nanoTime();
        HttpResponse<String> forceOpen = checkout.send("POST", "/actuator/breakers/payments",
                "{\"state\":\"forced_open\"}");

        // then
        assertThat(forceOpen.statusCode()).isEqualTo(200);
        await().atMost(PAGE_FOLLOWS_WITHIN).pollInterval(Duration.ofMillis(50))
                .until(() -> "forced_open".equals(state("payments")));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - forced)).isLessThan(PAGE_FOLLOWS_WITHIN.toMillis());
        assertThat(browser.text("[data-card='payments'] .transitions")).contains("closed \u2192 forced_open");
        saveScreenshot("dashboard-forced-open.png");

        // when
        long reset = System.nanoTime();
        HttpResponse<String> resetAnswer = checkout.send("POST", "/actuator/breakers/payments", "{\"state\":\"reset\"}");

        // then
        assertThat(resetAnswer.statusCode()).isEqualTo(200);
        await().atMost(PAGE_FOLLOWS_WITHIN).pollInterval(Duration.ofMillis(50))
                .until(() -> "closed".equals(state("payments")));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - reset)).isLessThan(PAGE_FOLLOWS_WITHIN.toMillis());
        assertThat(browser.text("#problems")).isEmpty();
    }

    private static String chargeIdOf(HttpResponse<String> receipt) {
        assertThat(receipt.statusCode()).isEqualTo(201);
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("\"chargeId\":\"([^\"]+)\"").matcher(receipt.body());
        assertThat(id.find()).as("a chargeId in %s", receipt.body()).isTrue();
        return id.group(1);
    }

    private String state(String breaker) {
        return browser.attribute("[data-breaker='" + breaker + "']", "data-state");
    }

    /** The page's attempts or operations per second for a breaker, -1 while it shows none. */
    private double perSecond(String breaker, String figure) {
        String text = browser.text("[data-card='" + breaker + "'] .figure." + figure + " .value");
        return text == null || !text.endsWith("/s") ? -1 : Double.parseDouble(text.substring(0, text.length() - 2));
    }

    private double amplification(String breaker) {
        String text = browser.text("[data-card='" + breaker + "'] .figure.amplification .value");
        return text == null || !text.endsWith("\u00d7") ? -1 : Double.parseDouble(text.substring(0, text.length() - 1));
    }

    private void saveScreenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path png = Files.write(SCREENSHOTS.resolve(name), browser.screenshot());
        if (Boolean.getBoolean("dashboard.screenshot.docs")) {
            Files.copy(png, Path.of("..", "docs", "dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
