package dev.resilience.spring.boot.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.spring.boot.endtoend.ObservedApp.PaymentClient;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Over real HTTP, with the meters derived from the call's observation asked for by Spring Boot's own property:
 * they time the same calls as {@code resilience.operations}, tagged with the exception type.
 */
@SpringBootTest(classes = ObservedApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.metrics.enable.resilience.guarded.call=true",
        "resilience.breaker.instances.payments.minimum-calls=100",
        "management.endpoints.web.exposure.include=metrics" })
class ObservationMetersEndToEndTests {

    @LocalServerPort
    int port;

    @Autowired
    PaymentClient client;

    @Test
    void managementMetricsEnableBringsBackTheObservationsMetersForTheSameCalls() {
        // given two operations of three failed attempts
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(client::charge).isInstanceOf(IOException.class);
        }
        Http http = new Http(port);

        // then the observation's timer counts the two operations, as resilience.operations does
        assertThat(count(http, "/actuator/metrics/resilience.guarded.call?tag=method:PaymentClient.charge"
                + "&tag=outcome:failure&tag=error:IOException")).isEqualTo(2.0);
        assertThat(count(http, "/actuator/metrics/resilience.operations?tag=method:PaymentClient.charge"))
                .isEqualTo(2.0);
        assertThat(count(http, "/actuator/metrics/resilience.guarded.call.retry?tag=method:PaymentClient.charge"))
                .isEqualTo(4.0);
        assertThat(http.<String>json("/actuator/metrics/resilience.guarded.call", "$.description"))
                .contains("from their observation");
        assertThat(http.get("/actuator/metrics/resilience.guarded.call.active").statusCode()).isEqualTo(200);
    }

    private static double count(Http http, String path) {
        List<Number> values = http.json(path, "$.measurements[?(@.statistic == 'COUNT')].value");
        assertThat(values).as("COUNT of %s", path).hasSize(1);
        return values.get(0).doubleValue();
    }
}
