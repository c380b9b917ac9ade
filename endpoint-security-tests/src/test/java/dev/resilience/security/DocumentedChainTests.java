package dev.resilience.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.spring.BreakerRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * docs/security.md's filter chain, as written, in front of the breakers endpoint over real HTTP: who may read it,
 * who may write it, and that CSRF protection still refuses an operator's POST that carries no token.
 */
@SpringBootTest(classes = { SecuredApp.class, DocumentedChain.class },
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
                "resilience.breaker.instances.payments.failure-rate-threshold=50",
                "management.endpoints.web.exposure.include=health,breakers,metrics",
                "management.endpoint.breakers.access=unrestricted" })
class DocumentedChainTests {

    private static final String FORCE_OPEN = "{\"state\":\"forced_open\"}";

    @LocalServerPort
    int port;

    @Autowired
    BreakerRegistry breakers;

    @Test
    void healthIsOpenToAnyoneAndTheBreakersToNobodyAnonymous() {
        assertThat(Caller.anonymous(port).get("/actuator/health").statusCode()).isEqualTo(200);
        assertThat(Caller.anonymous(port).get("/actuator/breakers").statusCode()).isEqualTo(401);
        assertThat(Caller.anonymous(port).get("/actuator/breakers/payments").statusCode()).isEqualTo(401);
    }

    @Test
    void monitoringReadsTheBreakersAndTheMetricsButCannotForceABreakerOpen() {
        Caller monitor = Caller.as(SecuredApp.MONITOR, port);

        assertThat(monitor.get("/actuator/breakers").body()).contains("\"payments\"");
        assertThat(monitor.get("/actuator/breakers/payments").statusCode()).isEqualTo(200);
        assertThat(monitor.get("/actuator/metrics").statusCode()).isEqualTo(200);
        assertThat(monitor.postJson("/actuator/breakers/payments", FORCE_OPEN).statusCode()).isEqualTo(403);
        assertThat(breakers.breaker("payments").state().tag()).isEqualTo("closed");
    }

    @Test
    void theOperatorReadsTheBreakersButNotTheOtherEndpoints() {
        Caller operator = Caller.as(SecuredApp.OPERATOR, port);

        assertThat(operator.get("/actuator/breakers/payments").statusCode()).isEqualTo(200);
        assertThat(operator.get("/actuator/metrics").statusCode()).isEqualTo(403);
    }

    @Test
    void csrfRefusesTheOperatorsPostWithoutATokenAsTheDocSays() {
        Caller operator = Caller.as(SecuredApp.OPERATOR, port);

        assertThat(operator.postJson("/actuator/breakers/payments", FORCE_OPEN).statusCode()).isEqualTo(403);
        assertThat(breakers.breaker("payments").state().tag()).isEqualTo("closed");
    }
}
