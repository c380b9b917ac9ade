package dev.resilience.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;

/** The IDE documentation that the configuration processor generates from the properties' javadoc. */
class ConfigurationMetadataTests {

    @Test
    void everyPropertyHasADescriptionAndEveryScalarDefaultIsRecorded() throws IOException {
        // given
        String json;
        try (InputStream in = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        // when
        List<Map<String, Object>> properties = JsonPath.read(json, "$.properties[*]");

        // then
        assertThat(properties).extracting(property -> property.get("name")).contains(
                "resilience.breaker.require-declared", "resilience.breaker.instances",
                "resilience.breaker.defaults.window-type", "resilience.breaker.defaults.window-size",
                "resilience.breaker.defaults.window-duration", "resilience.breaker.defaults.minimum-calls",
                "resilience.breaker.defaults.failure-rate-threshold", "resilience.breaker.defaults.slow-call-duration",
                "resilience.breaker.defaults.slow-call-rate-threshold", "resilience.breaker.defaults.open-duration",
                "resilience.breaker.defaults.half-open-probes", "resilience.breaker.defaults.record-exceptions",
                "resilience.breaker.defaults.ignore-exceptions", "resilience.breaker.defaults.out-of-service-when-open",
                "resilience.retry.defaults.delay", "resilience.retry.defaults.max-delay",
                "resilience.retry.defaults.multiplier", "resilience.retry.defaults.jitter",
                "resilience.retry.never-sent-exceptions");
        assertThat(properties).allSatisfy(property ->
                assertThat((String) property.get("description")).as("description of %s", property.get("name"))
                        .isNotBlank());
        assertThat(defaultOf(properties, "resilience.breaker.defaults.open-duration")).isEqualTo("30s");
        assertThat(defaultOf(properties, "resilience.breaker.defaults.failure-rate-threshold")).isEqualTo(50);
        assertThat(defaultOf(properties, "resilience.breaker.require-declared")).isEqualTo(true);
        assertThat(defaultOf(properties, "resilience.retry.defaults.delay")).isEqualTo("100ms");
    }

    @Test
    void theExceptionListsCompleteToThrowableClassesInTheIde() throws IOException {
        // given
        String json;
        try (InputStream in = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        // when
        List<String> hinted = JsonPath.read(json, "$.hints[?(@.providers[0].name == 'class-reference' && "
                + "@.providers[0].parameters.target == 'java.lang.Throwable')].name");

        // then
        assertThat(hinted).containsExactlyInAnyOrder("resilience.breaker.defaults.record-exceptions",
                "resilience.breaker.defaults.ignore-exceptions", "resilience.retry.never-sent-exceptions");
        List<String> names = JsonPath.read(json, "$.properties[*].name");
        assertThat(names).contains("resilience.breaker.defaults.half-open-max-wait");
    }

    private static Object defaultOf(List<Map<String, Object>> properties, String name) {
        return properties.stream().filter(property -> name.equals(property.get("name"))).findFirst().orElseThrow()
                .get("defaultValue");
    }
}
