package dev.resilience.sample.aot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.resilience.sample.CheckoutClient;
import dev.resilience.sample.FreePort;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkout service as the build's {@code process-aot} left it, started in a JVM of its own with
 * {@code -Dspring.aot.enabled=true} (so from the generated bean registrations, not from its configuration classes),
 * driven through one payments outage over loopback: payments answers {@code 500}, the breaker opens after the
 * declared 10 real calls, and the next order gets {@code 503} with {@code Retry-After} without reaching payments.
 * Bounded: 90 s for the start, 10 s per request, and the process is destroyed afterwards.
 */
class AotProcessedCheckoutTests {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path logs;

    private final AtomicInteger charges = new AtomicInteger();
    private HttpServer dependencies;
    private Process application;
    private Path output;

    @BeforeEach
    void paymentsFailingAndPricesHealthy() throws IOException {
        dependencies = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        dependencies.createContext("/charges", exchange -> {
            charges.incrementAndGet();
            answer(exchange, 500, "{\"error\":\"payments is down\"}");
        });
        dependencies.createContext("/prices/", exchange -> answer(exchange, 200,
                "{\"sku\":\"book\",\"amount\":1200,\"currency\":\"EUR\"}"));
        dependencies.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (application != null) {
            application.destroy();
            if (!application.waitFor(20, TimeUnit.SECONDS)) {
                application.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        dependencies.stop(0);
    }

    @Test
    void theAotProcessedApplicationOpensItsBreakerThroughAPaymentsOutage() throws IOException {
        // given: the application, AOT-processed, on a free loopback port
        int port = FreePort.onLoopback();
        String downstream = "http://127.0.0.1:" + dependencies.getAddress().getPort();
        start(port, downstream);
        CheckoutClient checkout = new CheckoutClient(port);

        // when: orders while payments answers 500 (a charge is not idempotent: one real call per order)
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            statuses.add(checkout.order("book").statusCode());
        }
        HttpResponse<String> rejected = checkout.order("book");

        // then
        assertThat(Files.readString(output)).as("started from the build's AOT output")
                .contains("Starting AOT-processed CheckoutApplication");
        assertThat(statuses).as("each order reached payments and failed").containsOnly(502);
        assertThat(charges.get()).as("real calls: the window's minimum-calls, then none").isEqualTo(10);
        assertThat(rejected.statusCode()).isEqualTo(503);
        assertThat(rejected.headers().firstValue("Retry-After")).isPresent();
        String breaker = checkout.send("GET", "/actuator/breakers/payments", "").body();
        assertThat(breaker).contains("\"state\":\"open\"").contains("\"failedCalls\":10");
    }

    private void start(int port, String downstream) throws IOException {
        output = logs.resolve("checkout.log");
        List<String> command = List.of(javaExecutable(), "-Dspring.aot.enabled=true", "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-cp", applicationClasspath(), "dev.resilience.sample.CheckoutApplication",
                "--server.port=" + port, "--server.address=127.0.0.1",
                "--checkout.payments-url=" + downstream, "--checkout.prices-url=" + downstream,
                "--resilience.dashboard.enabled=false");
        application = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!application.isAlive()) {
                throw new AssertionError("The AOT-processed application exited with " + application.exitValue()
                        + ":\n" + Files.readString(output));
            }
            return Files.readString(output).contains("Started CheckoutApplication");
        });
    }

    /** The application's runtime classpath: this test's, without the test classes. */
    private static String applicationClasspath() {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(classpath.split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
