package dev.resilience.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.spring.BreakerRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The chain with CSRF off for the actuator alone: the operator's POST works, the monitor's is still refused. */
@SpringBootTest(classes = { SecuredApp.class, StatelessChain.class },
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
                "resilience.breaker.instances.payments.failure-rate-threshold=50",
                "management.endpoints.web.exposure.include=health,breakers",
                "management.endpoint.breakers.access=unrestricted" })
class StatelessChainTests {

    @LocalServerPort
    int port;

    @Autowired
    BreakerRegistry breakers;

    @AfterEach
    void closeTheBreaker() {
        breakers.breaker("payments").reset();
    }

    @Test
    void theOperatorForcesTheBreakerOpenAndClosesItAgain() {
        Caller operator = Caller.as(SecuredApp.OPERATOR, port);

        assertThat(operator.postJson("/actuator/breakers/payments", "{\"state\":\"forced_open\"}").statusCode())
                .isBetween(200, 204);
        assertThat(breakers.breaker("payments").state().tag()).isEqualTo("forced_open");
        assertThat(operator.postJson("/actuator/breakers/payments", "{\"state\":\"closed\"}").statusCode())
                .isBetween(200, 204);
        assertThat(breakers.breaker("payments").state().tag()).isEqualTo("closed");
    }

    @Test
    void monitoringStillCannotWriteWithCsrfOff() {
        Caller monitor = Caller.as(SecuredApp.MONITOR, port);

        assertThat(monitor.postJson("/actuator/breakers/payments", "{\"state\":\"forced_open\"}").statusCode())
                .isEqualTo(403);
        assertThat(breakers.breaker("payments").state().tag()).isEqualTo("closed");
    }

    @Test
    void nobodyAnonymousWrites() {
        assertThat(Caller.anonymous(port).postJson("/actuator/breakers/payments", "{\"state\":\"forced_open\"}")
                .statusCode()).isEqualTo(401);
        assertThat(breakers.breaker("payments").state().tag()).isEqualTo("closed");
    }
}
