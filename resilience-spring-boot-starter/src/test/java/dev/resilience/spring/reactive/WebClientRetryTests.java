package dev.resilience.spring.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.resilience.CircuitBreaker;
import dev.resilience.TimeSource;
import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * A real {@code WebClient} against a real HTTP server on 127.0.0.1: a retry resubscribes the method's Mono, and so
 * sends the request again, while the method itself runs once.
 */
class WebClientRetryTests {

    private final ReactiveProxies proxies = new ReactiveProxies(TimeSource.system());
    private final CircuitBreaker stock = proxies.breaker("stock");
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int failFirst;
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/stock/", exchange -> {
            int number = requests.incrementAndGet();
            byte[] body = (number <= failFirst ? "busy" : "in stock").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(number <= failFirst ? 503 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void aRetrySendsTheRequestAgain() {
        // given a server that answers 503 twice, then 200
        failFirst = 2;
        StockClient target = new StockClient(webClient(server.getAddress().getPort()));
        StockClient client = proxies.proxy(target);

        // when / then
        StepVerifier.create(client.level("sku-1")).expectNext("in stock").verifyComplete();
        assertThat(requests).hasValue(3);
        assertThat(target.calls).hasValue(1);
        assertThat(proxies.events).containsExactly(
                "StockClient.level attempt 1 failure ServiceUnavailable",
                "StockClient.level attempt 2 failure ServiceUnavailable",
                "StockClient.level attempt 3 success",
                "StockClient.level success 3 retried");
        assertThat(stock.snapshot().failedCalls()).isEqualTo(2);
    }

    @Test
    void eachSubscriptionSendsItsOwnRequests() {
        // given
        StockClient client = proxies.proxy(new StockClient(webClient(server.getAddress().getPort())));
        Mono<String> level = client.level("sku-1");

        // when
        String first = level.block(Duration.ofSeconds(10));
        String second = level.block(Duration.ofSeconds(10));

        // then
        assertThat(first).isEqualTo("in stock");
        assertThat(second).isEqualTo("in stock");
        assertThat(requests).hasValue(2);
    }

    @Test
    void aRequestThatWasNeverSentIsRetriedEvenWhenNotIdempotent() throws IOException {
        // given a port where nothing listens
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closed = socket.getLocalPort();
        }
        StockClient client = proxies.proxy(new StockClient(webClient(closed)));

        // when / then: every attempt is refused, and each was retried
        StepVerifier.create(client.reserve("sku-1"))
                .expectErrorSatisfies(failure -> assertThat(failure).isInstanceOf(WebClientRequestException.class)
                        .hasCauseInstanceOf(ConnectException.class))
                .verify(Duration.ofSeconds(20));
        assertThat(proxies.operations()).containsExactly("StockClient.reserve failure 3 retried");
    }

    @Test
    void aRequestThatMayHaveBeenSentIsNotRetriedWhenNotIdempotent() {
        // given
        failFirst = Integer.MAX_VALUE;
        StockClient client = proxies.proxy(new StockClient(webClient(server.getAddress().getPort())));

        // when / then
        StepVerifier.create(client.reserve("sku-1")).expectError(WebClientResponseException.class)
                .verify(Duration.ofSeconds(10));
        assertThat(requests).hasValue(1);
    }

    private static WebClient webClient(int port) {
        return WebClient.builder().baseUrl("http://127.0.0.1:" + port)
                .clientConnector(new JdkClientHttpConnector()).build();
    }

    @Breaker("stock")
    public static class StockClient {

        final AtomicInteger calls = new AtomicInteger();
        private final WebClient http;

        public StockClient(WebClient http) {
            this.http = http;
        }

        @Retry(maxAttempts = 3, idempotent = true, delay = "10ms")
        public Mono<String> level(String sku) {
            calls.incrementAndGet();
            return http.get().uri("/stock/{sku}", sku).retrieve().bodyToMono(String.class);
        }

        @Retry(maxAttempts = 3, delay = "10ms")
        public Mono<String> reserve(String sku) {
            return http.post().uri("/stock/{sku}", sku).retrieve().bodyToMono(String.class);
        }
    }
}
