package dev.resilience.spring.boot.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jayway.jsonpath.JsonPath;
import dev.resilience.BreakerOpenException;
import dev.resilience.spring.BreakerRegistry;
import dev.resilience.spring.boot.endtoend.ObservedApp.PaymentClient;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Over real HTTP, with the endpoint's access set to unrestricted: a POST forces a breaker open, closes or resets
 * it; an unknown name is 404 and another state 400; no request creates a breaker; and a breaker that opted in
 * turns OUT_OF_SERVICE while forced open, without touching liveness.
 */
@SpringBootTest(classes = ObservedApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "resilience.breaker.instances.payments.out-of-service-when-open=true",
        "management.endpoints.web.exposure.include=health,breakers",
        "management.endpoint.breakers.access=unrestricted",
        "management.endpoint.health.show-details=always",
        "management.endpoint.health.probes.enabled=true",
        "management.endpoint.health.group.readiness.include=readinessState,breakers" })
class BreakersEndpointWriteTests {

    @LocalServerPort
    int port;

    @Autowired
    PaymentClient client;

    @Autowired
    BreakerRegistry breakers;

    private Http http;

    @BeforeEach
    void http() {
        http = new Http(port);
    }

    @AfterEach
    void resetPayments() {
        breakers.breaker("payments").reset();
    }

    @Test
    void aPostForcesTheBreakerOpenAndTheNextCallIsRejected() {
        // when
        HttpResponse<String> response = http.postJson("/actuator/breakers/payments", "{\"state\":\"forced_open\"}");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat((String) JsonPath.read(response.body(), "$.state")).isEqualTo("forced_open");
        assertThat(breakers.breaker("payments").state().tag()).isEqualTo("forced_open");
        assertThatThrownBy(client::charge).isInstanceOf(BreakerOpenException.class);
    }

    @Test
    void aForcedOpenBreakerThatOptedInTakesTheApplicationOutOfServiceButNotItsLiveness() {
        // given
        http.postJson("/actuator/breakers/payments", "{\"state\":\"forced_open\"}");

        // then
        assertThat(http.get("/actuator/health/readiness").statusCode()).isEqualTo(503);
        assertThat(http.get("/actuator/health/liveness").statusCode()).isEqualTo(200);

        // when
        HttpResponse<String> closed = http.postJson("/actuator/breakers/payments", "{\"state\":\"closed\"}");

        // then
        assertThat(closed.statusCode()).isEqualTo(200);
        assertThat((String) JsonPath.read(closed.body(), "$.state")).isEqualTo("closed");
        assertThat(http.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    }

    @Test
    void resetEmptiesTheWindowAndListsTheTransition() {
        // given
        http.postJson("/actuator/breakers/payments", "{\"state\":\"forced_open\"}");

        // when
        HttpResponse<String> response = http.postJson("/actuator/breakers/payments", "{\"state\":\"reset\"}");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat((String) JsonPath.read(response.body(), "$.state")).isEqualTo("closed");
        assertThat((Integer) JsonPath.read(response.body(), "$.bufferedCalls")).isZero();
        assertThat((String) JsonPath.read(response.body(), "$.transitions[-1].from")).isEqualTo("forced_open");
        assertThat((String) JsonPath.read(response.body(), "$.transitions[-1].at")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }

    @Test
    void anUnknownNameIsNotFoundAndCreatesNoBreaker() {
        // when
        HttpResponse<String> response = http.postJson("/actuator/breakers/paymnets", "{\"state\":\"forced_open\"}");

        // then
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(breakers.find("paymnets")).isEmpty();
        assertThat(http.get("/actuator/breakers/paymnets").statusCode()).isEqualTo(404);
    }

    @Test
    void anotherStateIsABadRequest() {
        // when
        HttpResponse<String> response = http.postJson("/actuator/breakers/payments", "{\"state\":\"open\"}");

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(breakers.breaker("payments").state().tag()).isEqualTo("closed");
    }

    @Test
    void aMissingStateIsABadRequest() {
        assertThat(http.postJson("/actuator/breakers/payments", "{}").statusCode()).isEqualTo(400);
    }
}
