package dev.resilience.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Calls the actuator over real HTTP as one user (or nobody), as an operator's {@code curl} would. */
final class Caller {

    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;
    private final String authorization;

    private Caller(int port, String authorization) {
        this.port = port;
        this.authorization = authorization;
    }

    static Caller anonymous(int port) {
        return new Caller(port, null);
    }

    static Caller as(String user, int port) {
        String credentials = user + ":" + SecuredApp.PASSWORD;
        return new Caller(port, "Basic " + Base64.getEncoder()
                .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    HttpResponse<String> postJson(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        return authorization == null ? builder : builder.header("Authorization", authorization);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
