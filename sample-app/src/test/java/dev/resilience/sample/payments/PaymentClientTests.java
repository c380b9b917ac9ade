package dev.resilience.sample.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.resilience.sample.CheckoutApplication;
import dev.resilience.sample.ManualTimeConfiguration;
import dev.resilience.test.ManualTimeSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.HttpServerErrorException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The application's payments client as the application builds it: an HTTP service proxy of the
 * {@code @HttpExchange} interface {@link PaymentClient}, guarded by the starter through the interface's
 * annotations, against a real HTTP server on loopback that answers what each test scripts and records every
 * request. The retries' waits are on the {@link ManualTimeSource}: they take no time, and are asserted exactly.
 */
@SpringBootTest(properties = { "resilience.retry.defaults.jitter=0",
        "resilience.retry.budget.defaults.enabled=false" }) // these tests count every retry
@Import(ManualTimeConfiguration.class)
class PaymentClientTests {

    private static final String REACHABILITY_METADATA =
            "/META-INF/native-image/dev.resilience/sample-app/reachability-metadata.json";

    private static final HttpServer PAYMENTS = payments();
    private static final Queue<Integer> STATUSES = new ConcurrentLinkedQueue<>();
    private static final List<String> REQUESTS = new CopyOnWriteArrayList<>();

    @DynamicPropertySource
    static void paymentsUrl(DynamicPropertyRegistry registry) {
        registry.add("checkout.payments-url", () -> "http://127.0.0.1:" + PAYMENTS.getAddress().getPort());
    }

    @Autowired
    private PaymentClient payments;

    @Autowired
    private MeterRegistry meters;

    @Autowired
    private ManualTimeSource time;

    @BeforeEach
    void noScriptNoRequests() {
        STATUSES.clear();
        REQUESTS.clear();
        time.clear();
    }

    @AfterAll
    static void stopPayments() {
        PAYMENTS.stop(0);
    }

    @Test
    void thePaymentsBeanIsAJdkProxyOfTheHttpExchangeInterfaceWrappedByTheGuard() throws Exception {
        // then: the bean is the guard's JDK proxy of the interface, around the HTTP service proxy of the same
        // interface; no class implements PaymentClient
        assertThat(PaymentClient.class.isInterface()).isTrue();
        assertThat(AnnotatedElementUtils.hasAnnotation(PaymentClient.class.getMethod("charge", ChargeRequest.class),
                org.springframework.web.service.annotation.HttpExchange.class)).isTrue();
        assertThat(AnnotatedElementUtils.hasAnnotation(PaymentClient.class.getMethod("find", String.class),
                org.springframework.web.service.annotation.HttpExchange.class)).isTrue();
        assertThat(Proxy.isProxyClass(payments.getClass())).isTrue();
        assertThat(AopUtils.isJdkDynamicProxy(payments)).isTrue();
        assertThat(((Advised) payments).getAdvisors()).as("the starter's advisor")
                .anyMatch(advisor -> advisor.getClass().getName().startsWith("dev.resilience."));
        Object httpService = ((Advised) payments).getTargetSource().getTarget();
        assertThat(httpService).isInstanceOf(PaymentClient.class);
        assertThat(Proxy.isProxyClass(httpService.getClass())).as("HttpServiceProxyFactory's proxy").isTrue();
    }

    @Test
    void theMetersOfBothMethodsExistAtZeroFromStartupBeforeAnyCall() {
        // given: the application started afresh, and not called
        try (ConfigurableApplicationContext started = new SpringApplicationBuilder(CheckoutApplication.class)
                .web(WebApplicationType.NONE)
                .run("--checkout.payments-url=http://127.0.0.1:" + PAYMENTS.getAddress().getPort(),
                        "--resilience.dashboard.enabled=false")) {
            MeterRegistry fresh = started.getBean(MeterRegistry.class);

            // then: as for every annotated method (docs/observability.md), each series exists at 0, so that a
            // rate (Prometheus, the operator's page) has a sample before the first call
            for (String method : List.of("PaymentClient.charge", "PaymentClient.find")) {
                for (String outcome : List.of("success", "failure", "rejected")) {
                    Timer attempts = fresh.find("resilience.attempts")
                            .tags("method", method, "breaker", "payments", "outcome", outcome).timer();
                    assertThat(attempts).as("resilience.attempts{method=%s,outcome=%s}", method, outcome).isNotNull();
                    assertThat(attempts.count()).isZero();
                }
            }
            assertThat(REQUESTS).isEmpty();
        }
    }

    @Test
    void theBuildsAotOutputRegistersBothJdkProxiesForANativeImage() throws Exception {
        // given: what process-aot generated into target/classes (Spring's HttpExchangeBeanRegistrationAotProcessor
        // registers the interface's proxy; the guard's proxy has the same interfaces, in the same order)
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream(REACHABILITY_METADATA)) {
            assertThat(in).as(REACHABILITY_METADATA + " from the build's process-aot").isNotNull();
            metadata = JsonMapper.builder().build().readTree(in);
        }
        List<List<String>> proxies = new ArrayList<>();
        for (JsonNode entry : metadata.get("reflection")) {
            JsonNode proxy = entry.get("type").get("proxy");
            if (proxy != null) {
                List<String> interfaces = new ArrayList<>();
                proxy.forEach(type -> interfaces.add(type.asString()));
                proxies.add(interfaces);
            }
        }
        Object httpService = ((Advised) payments).getTargetSource().getTarget();

        // then
        assertThat(proxies).contains(interfaceNames(payments.getClass()), interfaceNames(httpService.getClass()));
        assertThat(interfaceNames(payments.getClass())).first().isEqualTo(PaymentClient.class.getName());
    }

    @Test
    void anIdempotentFindAnswered503Then503Then200MakesExactlyThreeRequestsAndSucceeds() {
        // given
        STATUSES.addAll(List.of(503, 503, 200));
        double failedBefore = attempts("PaymentClient.find", "failure");
        double succeededBefore = attempts("PaymentClient.find", "success");
        double retriedBefore = operations("PaymentClient.find", "success", "true");

        // when
        Charge charge = payments.find("ch_7");

        // then
        assertThat(charge).isEqualTo(new Charge("ch_7", 1000, "EUR", "succeeded"));
        assertThat(REQUESTS).containsExactly("GET /charges/ch_7", "GET /charges/ch_7", "GET /charges/ch_7");
        assertThat(attempts("PaymentClient.find", "failure") - failedBefore).isEqualTo(2);
        assertThat(attempts("PaymentClient.find", "success") - succeededBefore).isEqualTo(1);
        assertThat(operations("PaymentClient.find", "success", "true") - retriedBefore).isEqualTo(1);
        assertThat(time.sleeps()).as("the yml's backoff: 100ms, then doubled")
                .containsExactly(TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.MILLISECONDS.toNanos(200));
    }

    @Test
    void aChargeAnswered500MakesExactlyOneRequestAndIsNotRetried() {
        // given
        STATUSES.add(500);
        double failedBefore = attempts("PaymentClient.charge", "failure");
        double notRetriedBefore = operations("PaymentClient.charge", "failure", "false");

        // when
        Throwable failure = catchThrowable(() -> payments.charge(new ChargeRequest(1000, "EUR", "book-42 x1")));

        // then
        assertThat(failure).isInstanceOf(HttpServerErrorException.InternalServerError.class);
        assertThat(REQUESTS).hasSize(1).first().asString().startsWith("POST /charges application/json ")
                .contains("\"amount\":1000", "\"reference\":\"book-42 x1\"");
        assertThat(attempts("PaymentClient.charge", "failure") - failedBefore).isEqualTo(1);
        assertThat(operations("PaymentClient.charge", "failure", "false") - notRetriedBefore).isEqualTo(1);
        assertThat(time.sleeps()).isEmpty();
    }

    private static List<String> interfaceNames(Class<?> proxy) {
        return Arrays.stream(proxy.getInterfaces()).map(Class::getName).toList();
    }

    private double attempts(String method, String outcome) {
        Timer timer = meters.find("resilience.attempts")
                .tags("method", method, "breaker", "payments", "outcome", outcome).timer();
        return timer == null ? 0 : timer.count();
    }

    private double operations(String method, String outcome, String retried) {
        Timer timer = meters.find("resilience.operations")
                .tags("method", method, "breaker", "payments", "outcome", outcome, "retried", retried).timer();
        return timer == null ? 0 : timer.count();
    }

    /**
     * Records each request ({@code METHOD /path}, and for a body its content type and the body), then answers the
     * next scripted status, 200 once the script is used up, with a charge as the body.
     */
    private static HttpServer payments() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
            server.createContext("/charges", PaymentClientTests::answer);
            server.start();
            return server;
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    private static void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        REQUESTS.add(exchange.getRequestMethod() + " " + path + (body.isEmpty() ? ""
                : " " + exchange.getRequestHeaders().getFirst("Content-Type") + " " + body));
        Integer scripted = STATUSES.poll();
        int status = scripted == null ? 200 : scripted;
        String id = path.startsWith("/charges/") ? path.substring("/charges/".length()) : "ch_1";
        byte[] json = (status == 200 ? "{\"id\":\"" + id + "\",\"amount\":1000,\"currency\":\"EUR\",\"status\":\"succeeded\"}"
                : "{\"error\":\"" + status + "\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, json.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(json);
        }
    }
}
