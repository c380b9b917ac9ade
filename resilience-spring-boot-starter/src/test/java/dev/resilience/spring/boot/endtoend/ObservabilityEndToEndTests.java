package dev.resilience.spring.boot.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.spring.BreakerRegistry;
import dev.resilience.spring.boot.endtoend.ObservedApp.PaymentClient;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Over real HTTP: two operations of three failed attempts each against a dependency that always fails, then what
 * the metrics, Prometheus, health and the breakers endpoint show.
 */
@SpringBootTest(classes = ObservedApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "resilience.breaker.instances.payments.window-size=6",
        "resilience.breaker.instances.payments.minimum-calls=6",
        "resilience.breaker.instances.payments.failure-rate-threshold=100",
        "resilience.breaker.instances.stock.open-duration=10s",
        "management.endpoints.web.exposure.include=health,metrics,prometheus,breakers",
        "management.endpoint.health.show-details=always",
        "management.endpoint.health.probes.enabled=true" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObservabilityEndToEndTests {

    private static final String ATTEMPTS = "/actuator/metrics/resilience.attempts?tag=method:PaymentClient.charge";
    private static final String OPERATIONS = "/actuator/metrics/resilience.operations?tag=method:PaymentClient.charge";

    @LocalServerPort
    int port;

    @Autowired
    PaymentClient client;

    @Autowired
    BreakerRegistry breakers;

    private Http http;

    @BeforeAll
    void twoOperationsOfThreeFailedAttempts() {
        http = new Http(port);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(client::charge).isInstanceOf(IOException.class).hasMessage("connection refused");
        }
        assertThat(client.calls()).isEqualTo(6);
    }

    @Test
    void attemptsShowEveryRealCallByOutcome() {
        assertThat(count(ATTEMPTS + "&tag=outcome:failure")).isEqualTo(6.0);
        assertThat(count(ATTEMPTS + "&tag=outcome:success")).isEqualTo(0.0);
        assertThat(count(ATTEMPTS + "&tag=outcome:rejected")).isEqualTo(0.0);
        assertThat(count(ATTEMPTS + "&tag=breaker:payments")).isEqualTo(6.0);
    }

    @Test
    void operationsShowWhatTheCallersSaw() {
        assertThat(count(OPERATIONS + "&tag=outcome:failure&tag=retried:true")).isEqualTo(2.0);
        assertThat(count(OPERATIONS + "&tag=retried:false")).isEqualTo(0.0);
        assertThat(count(OPERATIONS)).isEqualTo(2.0);
    }

    @Test
    void retryWaitsAreTimed() {
        assertThat(count("/actuator/metrics/resilience.retry.waits?tag=method:PaymentClient.charge")).isEqualTo(4.0);
    }

    @Test
    void eachCallIsTimedOnceByDefaultTheObservationDerivesNoMeter() {
        assertThat(http.get("/actuator/metrics/resilience.guarded.call").statusCode()).isEqualTo(404);
        assertThat(http.get("/actuator/metrics/resilience.guarded.call.active").statusCode()).isEqualTo(404);
        assertThat(http.get("/actuator/metrics/resilience.guarded.call.retry").statusCode()).isEqualTo(404);
        assertThat(http.get("/actuator/prometheus").body()).doesNotContain("resilience_guarded_call");
    }

    @Test
    void noMeterIsOneLetterAwayFromTheContractsOperationsTimer() {
        assertThat(http.get("/actuator/metrics/resilience.operation").statusCode()).isEqualTo(404);
        assertThat(http.get("/actuator/metrics/resilience.operation.active").statusCode()).isEqualTo(404);
    }

    @Test
    void breakerGaugesShowTheOpenBreaker() {
        assertThat(value("/actuator/metrics/resilience.breaker.state?tag=breaker:payments&tag=state:open"))
                .isEqualTo(1.0);
        assertThat(value("/actuator/metrics/resilience.breaker.state?tag=breaker:payments&tag=state:closed"))
                .isEqualTo(0.0);
        assertThat(value("/actuator/metrics/resilience.breaker.failure.rate?tag=breaker:payments"))
                .isEqualTo(100.0);
        assertThat(count("/actuator/metrics/resilience.breaker.transitions?tag=breaker:payments&tag=from:closed"
                + "&tag=to:open")).isEqualTo(1.0);
        assertThat(value("/actuator/metrics/resilience.breaker.state?tag=breaker:stock&tag=state:closed"))
                .isEqualTo(1.0);
    }

    @Test
    void aBreakerWithoutEnoughCallsHasNoRateYet() {
        HttpResponse<String> response = http.get("/actuator/metrics/resilience.breaker.failure.rate?tag=breaker:stock");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("NaN");
    }

    @Test
    void prometheusExposesTheSameCounts() {
        HttpResponse<String> response = http.get("/actuator/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body().lines()).contains(
                "resilience_attempts_seconds_count{breaker=\"payments\",method=\"PaymentClient.charge\","
                        + "outcome=\"failure\"} 6",
                "resilience_operations_seconds_count{breaker=\"payments\",method=\"PaymentClient.charge\","
                        + "outcome=\"failure\",retried=\"true\"} 2",
                "resilience_breaker_state{breaker=\"payments\",state=\"open\"} 1.0",
                "resilience_breaker_transitions_total{breaker=\"payments\",from=\"closed\",to=\"open\"} 1.0");
        assertThat(response.body()).contains("# HELP resilience_attempts_seconds Attempts of a guarded method");
        assertThat(response.body().lines().filter(line -> line.startsWith("# HELP resilience_")))
                .as("every resilience meter has a description").isNotEmpty()
                .allSatisfy(help -> assertThat(help.substring(help.indexOf(' ', 7)).trim()).isNotEmpty());
    }

    @Test
    void healthShowsTheOpenBreakerAndStaysUp() {
        assertThat(http.<String>json("/actuator/health", "$.status")).isEqualTo("UP");
        assertThat(http.<String>json("/actuator/health", "$.components.breakers.components.payments.status"))
                .isEqualTo("UP");
        assertThat(http.<String>json("/actuator/health",
                "$.components.breakers.components.payments.details.state")).isEqualTo("open");
        assertThat(http.<Integer>json("/actuator/health",
                "$.components.breakers.components.payments.details.bufferedCalls")).isEqualTo(6);
        assertThat(http.<String>json("/actuator/health",
                "$.components.breakers.components.stock.details.state")).isEqualTo("closed");
    }

    @Test
    void livenessStaysUpWhileABreakerIsOpen() {
        assertThat(breakers.breaker("payments").state().tag()).isEqualTo("open");
        HttpResponse<String> liveness = http.get("/actuator/health/liveness");
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(liveness.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void theEndpointListsEveryBreakerWithItsStateConfigAndTransitions() {
        assertThat(http.<List<String>>json("/actuator/breakers", "$.breakers[*].name"))
                .containsExactly("payments", "stock");
        assertThat(http.<String>json("/actuator/breakers/payments", "$.state")).isEqualTo("open");
        assertThat(http.<Integer>json("/actuator/breakers/payments", "$.config.windowSize")).isEqualTo(6);
        assertThat(http.<String>json("/actuator/breakers/payments", "$.transitions[0].to")).isEqualTo("open");
        assertThat(http.<String>json("/actuator/breakers/stock", "$.config.openDuration")).isEqualTo("PT10S");
        assertThat(http.get("/actuator/breakers/paymnets").statusCode()).isEqualTo(404);
    }

    @Test
    void aPostIsRefusedByDefault() {
        HttpResponse<String> response = http.postJson("/actuator/breakers/payments", "{\"state\":\"closed\"}");
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(breakers.breaker("payments").state().tag()).isEqualTo("open");
    }

    private double count(String path) {
        return statistic(path, "COUNT");
    }

    private double value(String path) {
        return statistic(path, "VALUE");
    }

    private double statistic(String path, String statistic) {
        List<Number> values = http.json(path, "$.measurements[?(@.statistic == '" + statistic + "')].value");
        assertThat(values).as("%s of %s", statistic, path).hasSize(1);
        return values.get(0).doubleValue();
    }
}
