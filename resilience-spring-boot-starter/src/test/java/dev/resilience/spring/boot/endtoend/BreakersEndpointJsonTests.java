package dev.resilience.spring.boot.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Over real HTTP, the {@code breakers} endpoint's JSON does not follow the application's Jackson settings: with
 * {@code spring.jackson.property-naming-strategy=SNAKE_CASE}, which the application's own controller does follow,
 * its keys are still camel case and its states lowercase.
 */
@SpringBootTest(classes = { ObservedApp.class, BreakersEndpointJsonTests.SnakeCaseController.class },
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
                "spring.jackson.property-naming-strategy=SNAKE_CASE",
                "resilience.breaker.instances.payments.half-open-probes=2",
                "management.endpoints.web.exposure.include=breakers",
                "management.endpoint.breakers.access=unrestricted" })
class BreakersEndpointJsonTests {

    @LocalServerPort
    int port;

    @Test
    void theEndpointsKeysStayCamelCaseWhenTheApplicationWritesSnakeCase() {
        Http http = new Http(port);

        String own = http.get("/own").body();
        String one = http.get("/actuator/breakers/payments").body();
        HttpResponse<String> changed = http.postJson("/actuator/breakers/payments", "{\"state\":\"forced_open\"}");
        String all = http.get("/actuator/breakers").body();

        assertThat(own).as("the application's own JSON follows its setting").contains("\"failure_rate\"");
        assertThat(one).doesNotContain("_rate", "buffered_calls", "remaining_open", "retry_budget");
        Map<String, Object> breaker = JsonPath.read(one, "$");
        assertThat(breaker).containsOnlyKeys("name", "state", "config", "failureRate", "slowCallRate",
                "bufferedCalls", "failedCalls", "slowCalls", "minimumCalls", "rejectedCalls", "remainingOpen",
                "transitions", "retryBudget");
        assertThat(breaker.get("state")).isEqualTo("closed");
        Map<String, Object> config = JsonPath.read(one, "$.config");
        assertThat(config).containsKeys("windowType", "halfOpenProbes", "halfOpenMaxWait", "outOfServiceWhenOpen");
        Map<String, Object> budget = JsonPath.read(one, "$.retryBudget");
        assertThat(budget).containsOnlyKeys("enabled", "ratio", "minRetriesPerSecond", "window", "available");
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat((String) JsonPath.read(changed.body(), "$.state")).isEqualTo("forced_open");
        assertThat((String) JsonPath.read(all, "$.breakers[0].state")).isEqualTo("forced_open");
        assertThat((String) JsonPath.read(all, "$.breakers[0].transitions[0].to")).isEqualTo("forced_open");
        assertThat(all).doesNotContain("remaining_open");
    }

    /** The application's own JSON, written with the application's settings. */
    @RestController
    static class SnakeCaseController {

        @GetMapping("/own")
        Rates own() {
            return new Rates(12.5);
        }

        record Rates(double failureRate) {
        }
    }
}
