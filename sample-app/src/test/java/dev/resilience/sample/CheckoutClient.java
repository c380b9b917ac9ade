package dev.resilience.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.StringJoiner;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The checkout service as its callers see it, over real HTTP: orders, payment reads, prices, actuator, stand-ins. */
public final class CheckoutClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public CheckoutClient(int port) {
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    /** {@code POST /checkout}: a price lookup, then a charge. */
    public HttpResponse<String> order(String sku) {
        return send(HttpRequest.newBuilder(base.resolve("/checkout"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"" + sku + "\",\"quantity\":1}")));
    }

    /** {@code GET /checkout/charges/{id}}: a read of a charge. */
    public HttpResponse<String> charge(String id) {
        return send(HttpRequest.newBuilder(base.resolve("/checkout/charges/" + id)).GET());
    }

    /** {@code GET /prices/{sku}}: a price, live or the last known one. */
    public HttpResponse<String> price(String sku) {
        return send(HttpRequest.newBuilder(base.resolve("/prices/" + sku)).GET());
    }

    /**
     * The count of a timer or counter from {@code /actuator/metrics}, 0 when no series matches the tags.
     *
     * @param tags {@code key:value} pairs
     */
    public long count(String meter, String... tags) {
        StringJoiner query = new StringJoiner("&", "?", "");
        for (String tag : tags) {
            query.add("tag=" + tag);
        }
        HttpResponse<String> answer = send(HttpRequest.newBuilder(base.resolve("/actuator/metrics/" + meter + query)).GET());
        if (answer.statusCode() == 404) {
            return 0;
        }
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("/actuator/metrics/" + meter + query + " answered " + answer.statusCode());
        }
        for (JsonNode measurement : JSON.readTree(answer.body()).get("measurements")) {
            if ("COUNT".equals(measurement.get("statistic").asString())) {
                return (long) measurement.get("value").asDouble();
            }
        }
        throw new IllegalStateException(meter + " has no COUNT: " + answer.body());
    }

    /** {@code GET /actuator/breakers/{name}}. */
    public JsonNode breaker(String name) {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(base.resolve("/actuator/breakers/" + name)).GET());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("/actuator/breakers/" + name + " answered " + answer.statusCode());
        }
        return JSON.readTree(answer.body());
    }

    /**
     * Any request, with a JSON body unless {@code json} is empty.
     *
     * @param path for example {@code /stand-in/payments}
     */
    public HttpResponse<String> send(String method, String path, String json) {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .method(method, json.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the checkout", interrupted);
        }
    }
}
