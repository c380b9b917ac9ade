package dev.resilience.sample.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.resilience.sample.payments.PaymentClient;
import dev.resilience.sample.prices.PriceCatalog;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.support.RestClientAdapter;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

/**
 * What the checkout answers when a dependency fails, through the real controller and {@link DownstreamFailures},
 * with the payments client calling a real HTTP server on loopback that breaks its answers off (docs/faults.md's
 * "connection closed mid-response" and "slow drip").
 */
class DownstreamFailuresTests {

    /** The real HTTP timeout of these tests: the stalled body waits for it. */
    private static final Duration READ_TIMEOUT = Duration.ofMillis(500);

    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private ExecutorService workers;
    private HttpServer payments;

    @BeforeEach
    void paymentsThatBreakTheirAnswersOff() throws IOException {
        workers = Executors.newCachedThreadPool();
        payments = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        payments.setExecutor(workers);
        // the headers promise 200 bytes, 7 arrive, then the connection closes (the JDK server closes it when an
        // exchange ends short of its Content-Length)
        payments.createContext("/cut-off/charges/", exchange -> {
            requests.incrementAndGet();
            startAnswer(exchange, 200).flush();
            exchange.close(); // short of its Content-Length: the JDK server closes the connection
        });
        // the headers and 7 bytes, then the body stalls until the test ends (10 s at most)
        payments.createContext("/stalled/charges/", exchange -> {
            requests.incrementAndGet();
            OutputStream body = startAnswer(exchange, 69);
            body.flush();
            try {
                if (release.await(10, TimeUnit.SECONDS)) {
                    body.write("ch_drip\",\"amount\":1000,\"currency\":\"EUR\",\"status\":\"succeeded\"}\n"
                            .getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException | InterruptedException gone) {
                // the client gave up on the answer, or the server is stopping
            }
            exchange.close(); // short of its Content-Length: the JDK server closes the connection
        });
        payments.start();
    }

    @AfterEach
    void stopPayments() {
        release.countDown();
        payments.stop(0);
        workers.shutdownNow();
    }

    @Test
    void aResponseCutOffMidBodyIsABadGatewayNotAnInternalError() throws Exception {
        // given
        MockMvc checkout = checkoutOver("/cut-off");

        // when / then
        checkout.perform(get("/checkout/charges/ch_1"))
                .andExpect(status().isBadGateway())
                .andExpect(jsonPath("$.detail").value("A dependency's answer broke off or could not be read"));
        assertThat(requests).hasValue(1);
    }

    @Test
    void aBodyThatStallsPastTheReadTimeoutIsABadGatewayNotAnInternalError() throws Exception {
        // given
        MockMvc checkout = checkoutOver("/stalled");

        // when
        long started = System.nanoTime();
        checkout.perform(get("/checkout/charges/ch_1"))
                // then: the read timeout closes the body's stream, which Spring reports as it does a cut-off body
                .andExpect(status().isBadGateway())
                .andExpect(jsonPath("$.detail").value("A dependency's answer broke off or could not be read"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("ended by the read timeout, not by the server")
                .isGreaterThanOrEqualTo(READ_TIMEOUT).isLessThan(Duration.ofSeconds(5));
        assertThat(requests).hasValue(1);
    }

    @Test
    void aRestClientFailureOfTheCheckoutItselfIsStillAnInternalError() {
        // given: no dependency involved, a request body the client cannot write
        PaymentClient payments = mock(PaymentClient.class);
        RestClientException bug = new RestClientException("No HttpMessageConverter for dev.resilience.sample.payments.ChargeRequest");
        given(payments.find("ch_1")).willThrow(bug);
        MockMvc checkout = MockMvcBuilders.standaloneSetup(new CheckoutController(mock(PriceCatalog.class), payments))
                .setControllerAdvice(new DownstreamFailures()).build();

        // when
        Throwable unmapped = catchThrowable(() -> checkout.perform(get("/checkout/charges/ch_1")));

        // then: not mapped, so the server's 500
        assertThat(unmapped).isInstanceOf(ServletException.class).hasCause(bug);
    }

    @Test
    void retryAfterIsInWholeSecondsRoundedUpAndAtLeastOne() {
        assertThat(DownstreamFailures.retryAfterSeconds(Duration.ZERO)).isEqualTo(1);
        assertThat(DownstreamFailures.retryAfterSeconds(Duration.ofNanos(1))).isEqualTo(1);
        assertThat(DownstreamFailures.retryAfterSeconds(Duration.ofMillis(999))).isEqualTo(1);
        assertThat(DownstreamFailures.retryAfterSeconds(Duration.ofSeconds(1))).isEqualTo(1);
        assertThat(DownstreamFailures.retryAfterSeconds(Duration.ofMillis(1001))).isEqualTo(2);
        assertThat(DownstreamFailures.retryAfterSeconds(Duration.ofMillis(7500))).isEqualTo(8);
        assertThat(DownstreamFailures.retryAfterSeconds(Duration.ofSeconds(30))).isEqualTo(30);
    }

    /** The checkout's controller and failure mapping, its payments client an HTTP service proxy over the server. */
    private MockMvc checkoutOver(String path) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(250)).build();
        JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(http);
        requestFactory.setReadTimeout(READ_TIMEOUT);
        RestClient rest = RestClient.builder()
                .baseUrl("http://127.0.0.1:" + payments.getAddress().getPort() + path)
                .requestFactory(requestFactory).build();
        PaymentClient client = HttpServiceProxyFactory.builderFor(RestClientAdapter.create(rest)).build()
                .createClient(PaymentClient.class);
        return MockMvcBuilders.standaloneSetup(new CheckoutController(mock(PriceCatalog.class), client))
                .setControllerAdvice(new DownstreamFailures()).build();
    }

    /** Sends the headers of a JSON answer promising {@code length} bytes, then the first 7 of them. */
    private static OutputStream startAnswer(HttpExchange exchange, int length) throws IOException {
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, length);
        OutputStream body = exchange.getResponseBody();
        body.write("{\"id\":\"".getBytes(StandardCharsets.UTF_8));
        return body;
    }
}
