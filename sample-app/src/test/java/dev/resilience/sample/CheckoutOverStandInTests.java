package dev.resilience.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.BreakerState;
import dev.resilience.CircuitBreaker;
import dev.resilience.sample.standin.StandIn;
import dev.resilience.sample.standin.StandInMode;
import dev.resilience.spring.BreakerRegistry;
import dev.resilience.test.ManualTimeSource;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole application over real HTTP with its embedded stand-ins (no Docker): the wiring of clients, breakers
 * from application.yml, error answers, the switch API and the actuator endpoints the README points to.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "checkout.stand-in.enabled=true", "resilience.retry.defaults.jitter=0",
        "resilience.retry.budget.defaults.enabled=false" }) // these tests count every retry
@Import(ManualTimeConfiguration.class)
class CheckoutOverStandInTests {

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

    @Autowired
    private StandIn standIn;

    @Autowired
    private BreakerRegistry breakers;

    @Autowired
    private ManualTimeSource time;

    private CheckoutClient checkout;

    @BeforeEach
    void healthy() {
        checkout = new CheckoutClient(port);
        standIn.names().forEach(name -> standIn.switchTo(name, StandInMode.HEALTHY));
        breakers.all().forEach(CircuitBreaker::reset);
        time.clear();
    }

    @Test
    void anOrderIsPricedAndChargedThroughTheStandIns() {
        // given
        long payments = standIn.calls("payments");
        long prices = standIn.calls("prices");

        // when
        HttpResponse<String> receipt = checkout.send("POST", "/checkout", "{\"sku\":\"book-42\",\"quantity\":3}");

        // then
        assertThat(receipt.statusCode()).isEqualTo(201);
        assertThat(receipt.body()).contains("\"chargeId\":\"ch_").contains("\"stalePrice\":false");
        assertThat(standIn.calls("payments")).isEqualTo(payments + 1);
        assertThat(standIn.calls("prices")).isEqualTo(prices + 1);
    }

    @Test
    void aStandInSwitchedToFailingOverHttpMakesTheChargeFailOnceWithoutRetry() {
        // given
        HttpResponse<String> switched = checkout.send("PUT", "/stand-in/payments", "{\"mode\":\"failing\"}");
        long payments = standIn.calls("payments");

        // when
        HttpResponse<String> answer = checkout.order("book-42");

        // then
        assertThat(switched.statusCode()).isEqualTo(200);
        assertThat(switched.body()).contains("\"mode\":\"failing\"");
        assertThat(answer.statusCode()).isEqualTo(502);
        assertThat(standIn.calls("payments")).isEqualTo(payments + 1);
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void aRefusingStandInMakesTheChargeRetryUntilItsAttemptsRunOutWithoutReachingIt() {
        // given
        checkout.send("PUT", "/stand-in/payments", "{\"mode\":\"refusing\"}");
        long payments = standIn.calls("payments");

        // when
        HttpResponse<String> answer = checkout.order("book-42");

        // then
        assertThat(answer.statusCode()).isEqualTo(502);
        assertThat(time.sleeps()).containsExactly(TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.MILLISECONDS.toNanos(200));
        assertThat(standIn.calls("payments")).isEqualTo(payments);
    }

    @Test
    void whenThePricesBreakerIsOpenTheCheckoutUsesTheLastKnownPrice() {
        // given
        assertThat(checkout.price("mug-7").body()).contains("\"stale\":false");
        breakers.breaker("prices").forceOpen();

        // when
        HttpResponse<String> receipt = checkout.order("mug-7");
        HttpResponse<String> unknown = checkout.price("never-seen");

        // then
        assertThat(receipt.statusCode()).isEqualTo(201);
        assertThat(receipt.body()).contains("\"stalePrice\":true");
        assertThat(unknown.statusCode()).isEqualTo(503);
        assertThat(unknown.headers().firstValue("Retry-After")).hasValue("10");
        assertThat(breakers.breaker("prices").state()).isEqualTo(BreakerState.FORCED_OPEN);
    }

    @Test
    void theSwitchApiRefusesUnknownStandInsAndModes() {
        assertThat(checkout.send("PUT", "/stand-in/stock", "{\"mode\":\"failing\"}").statusCode()).isEqualTo(404);
        assertThat(checkout.send("PUT", "/stand-in/payments", "{\"mode\":\"sleepy\"}").statusCode()).isEqualTo(400);
        assertThat(checkout.send("GET", "/stand-in", "").body()).contains("\"name\":\"payments\"").contains("\"name\":\"prices\"");
    }

    @Test
    void theActuatorListsBothBreakersInTheEndpointAndHealth() {
        // when
        HttpResponse<String> endpoint = checkout.send("GET", "/actuator/breakers", "");
        HttpResponse<String> health = checkout.send("GET", "/actuator/health", "");

        // then
        assertThat(endpoint.statusCode()).isEqualTo(200);
        assertThat(endpoint.body()).contains("\"name\":\"payments\"").contains("\"name\":\"prices\"");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"breakers\"").contains("\"payments\"").contains("\"prices\"");
    }

    @Test
    void prometheusShowsTheBreakersAndTheAttemptsOfAMethodOnceCalled() {
        // given
        checkout.order("pen-3");

        // when
        HttpResponse<String> prometheus = checkout.send("GET", "/actuator/prometheus", "");

        // then
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body())
                .contains("resilience_attempts_seconds_count{breaker=\"payments\",method=\"PaymentClient.charge\",outcome=\"success\"}")
                .contains("resilience_breaker_state{breaker=\"prices\",state=\"closed\"} 1")
                .contains("resilience_fallbacks_total{breaker=\"none\",method=\"PriceCatalog.quote\",outcome=\"success\"}");
    }
}
