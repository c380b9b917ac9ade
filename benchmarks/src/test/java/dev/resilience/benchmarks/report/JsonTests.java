package dev.resilience.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTests {

    @Test
    void readsObjectsArraysNumbersStringsAndLiterals() {
        // given
        String text = "{ \"a\" : [1, -2.5e3, \"x\\\"y\\u00b7\"], \"b\" : {\"t\": true, \"f\": false, \"n\": null} }";

        // when
        Object value = Json.parse(text);

        // then
        assertThat(value).isEqualTo(Map.of(
                "a", List.of(1.0, -2500.0, "x\"y\u00b7"),
                "b", java.util.Collections.unmodifiableMap(new java.util.HashMap<>() {
                    {
                        put("t", true);
                        put("f", false);
                        put("n", null);
                    }
                })));
    }

    @Test
    void readsJmhNanAsNotANumber() {
        // given JMH's way of writing a missing error
        Object value = Json.parse("{\"scoreError\" : \"NaN\"}");

        // when
        double error = Json.number(((Map<?, ?>) value).get("scoreError"));

        // then
        assertThat(error).isNaN();
    }

    @Test
    void rejectsTrailingGarbageNamingTheOffset() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Json.parse("[1] x"))
                .withMessage("JMH result is not valid JSON: expected end of input at offset 4");
    }
}
