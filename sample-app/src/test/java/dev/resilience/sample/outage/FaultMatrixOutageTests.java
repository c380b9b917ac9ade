package dev.resilience.sample.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.resilience.BreakerOpenException;
import dev.resilience.CircuitBreaker;
import dev.resilience.sample.CheckoutClient;
import dev.resilience.sample.CheckoutProperties;
import dev.resilience.sample.ManualTimeConfiguration;
import dev.resilience.sample.payments.ChargeRequest;
import dev.resilience.sample.payments.PaymentClient;
import dev.resilience.spring.BreakerRegistry;
import dev.resilience.test.ManualTimeSource;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.client.support.RestClientAdapter;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import tools.jackson.databind.JsonNode;

/**
 * Every fault of a dependency against both kinds of payments call, in real containers: the idempotent read
 * ({@code PaymentClient.find}, 3 attempts, 4xx answers not retried, through {@code GET /checkout/charges/{id}}) and
 * the charge, which is not idempotent ({@code PaymentClient.charge}, 3 attempts only for a request never sent, through
 * {@code POST /checkout}). Each case asserts what reached the container (its own request log), what the caller got,
 * how many attempts the guard made and whether it retried ({@code resilience.attempts}, {@code
 * resilience.operations{retried}}), and what the breaker recorded ({@code /actuator/breakers/payments}: a count
 * window of 3 that opens at 100 %, from application-outage.yml). Timeouts are short (connect 250ms, read 1s); the
 * retries' waits are on a {@link ManualTimeSource}, so they take no time. docs/faults.md has the table.
 *
 * <p>The unknown host is {@link #UNRESOLVABLE}, called through a second {@link PaymentClient} made and guarded by the
 * application (same breaker, same meters) and not through the checkout's API, whose URL is fixed at startup. Its
 * first label has 64 characters: no DNS query can carry it (RFC 1035 caps a label at 63), so the resolver fails it
 * without sending anything ({@code strace} shows no packet to the name server; {@code nonexistent.invalid} would be
 * asked of it).
 */
@ExtendWith(DockerRequirement.class)
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "checkout.connect-timeout=250ms", "checkout.read-timeout=1s" })
@ActiveProfiles("outage")
@Import(ManualTimeConfiguration.class)
class FaultMatrixOutageTests {

    static final String UNRESOLVABLE = "never-resolved-" + "x".repeat(49) + ".invalid";

    @Container
    static final DownstreamContainer PAYMENTS = new DownstreamContainer();

    @Container
    static final DownstreamContainer PRICES = new DownstreamContainer();

    private static final StringBuilder TABLE = new StringBuilder();

    @DynamicPropertySource
    static void dependencies(DynamicPropertyRegistry registry) {
        registry.add("checkout.payments-url", PAYMENTS::baseUrl);
        registry.add("checkout.prices-url", PRICES::baseUrl);
    }

    @LocalServerPort
    private int port;

    @Autowired
    private ManualTimeSource time;

    @Autowired
    private BreakerRegistry breakers;

    @Autowired
    private ConfigurableApplicationContext context;

    @Autowired
    private RestClient.Builder restClients;

    @Autowired
    private CheckoutProperties properties;

    private CheckoutClient checkout;

    /** How a dependency fails. */
    enum Fault {
        REFUSED("connection refused (container killed)"),
        UNKNOWN_HOST("host unknown"),
        CONNECT_TIMEOUT("connect timeout (paused, accept queue full)"),
        READ_TIMEOUT("read timeout (no answer)"),
        RESET("connection closed mid-response"),
        ERROR_500("500"),
        THROTTLED_503("503 with Retry-After: 1, then 200"),
        TOO_MANY_429("429 with Retry-After: 1"),
        SLOW_DRIP("slow drip (headers, then a stalled body)");

        final String label;

        Fault(String label) {
            this.label = label;
        }
    }

    /** The two payments calls. */
    enum Call {
        READ("PaymentClient.find", "GET"), CHARGE("PaymentClient.charge", "POST");

        final String method;
        final String http;

        Call(String method, String http) {
            this.method = method;
            this.http = http;
        }
    }

    /**
     * What a case must show.
     *
     * @param status what the checkout's caller got
     * @param requests requests in the container's log
     * @param attempts {@code resilience.attempts} of the method, any outcome
     * @param retried whether {@code resilience.operations{retried=true}} counted the operation
     * @param state the breaker's state afterwards
     * @param buffered calls in the breaker's window
     * @param failed failed calls in the breaker's window
     */
    record Outcome(int status, int requests, int attempts, boolean retried, String state, int buffered, int failed) {

        @Override
        public String toString() {
            return status + ", " + requests + " request(s), " + attempts + " attempt(s), " + (retried ? "" : "not ")
                    + "retried, breaker " + state + " " + failed + "/" + buffered + " failed";
        }
    }

    static Stream<Arguments> matrix() {
        return Stream.of(
                // never sent: retried even for the charge; each attempt is a failure of the dependency
                arguments(Fault.REFUSED, Call.READ, new Outcome(502, 0, 3, true, "open", 3, 3)),
                arguments(Fault.REFUSED, Call.CHARGE, new Outcome(502, 0, 3, true, "open", 3, 3)),
                arguments(Fault.UNKNOWN_HOST, Call.READ, new Outcome(502, 0, 3, true, "open", 3, 3)),
                arguments(Fault.UNKNOWN_HOST, Call.CHARGE, new Outcome(502, 0, 3, true, "open", 3, 3)),
                arguments(Fault.CONNECT_TIMEOUT, Call.READ, new Outcome(504, 0, 3, true, "open", 3, 3)),
                arguments(Fault.CONNECT_TIMEOUT, Call.CHARGE, new Outcome(504, 0, 3, true, "open", 3, 3)),
                // sent, perhaps processed: the read is retried, the charge is not
                arguments(Fault.READ_TIMEOUT, Call.READ, new Outcome(504, 3, 3, true, "open", 3, 3)),
                arguments(Fault.READ_TIMEOUT, Call.CHARGE, new Outcome(504, 1, 1, false, "closed", 1, 1)),
                // a body that breaks off or stalls past the read timeout: the guard treats it as any failure;
                // Spring's RestClient reports it as a plain RestClientException ("Error while extracting response"),
                // which the checkout's DownstreamFailures answers 502, as the dependency's failure
                arguments(Fault.RESET, Call.READ, new Outcome(502, 3, 3, true, "open", 3, 3)),
                arguments(Fault.RESET, Call.CHARGE, new Outcome(502, 1, 1, false, "closed", 1, 1)),
                arguments(Fault.ERROR_500, Call.READ, new Outcome(502, 3, 3, true, "open", 3, 3)),
                arguments(Fault.ERROR_500, Call.CHARGE, new Outcome(502, 1, 1, false, "closed", 1, 1)),
                // the read waits the server's second exactly and gets through; pushback never retries the charge
                arguments(Fault.THROTTLED_503, Call.READ, new Outcome(200, 2, 2, true, "closed", 2, 1)),
                arguments(Fault.THROTTLED_503, Call.CHARGE, new Outcome(502, 1, 1, false, "closed", 1, 1)),
                // a 4xx is the caller's mistake: not retried (abortOn), ignored by the breaker (ignore-exceptions)
                arguments(Fault.TOO_MANY_429, Call.READ, new Outcome(502, 1, 1, false, "closed", 0, 0)),
                arguments(Fault.TOO_MANY_429, Call.CHARGE, new Outcome(502, 1, 1, false, "closed", 0, 0)),
                arguments(Fault.SLOW_DRIP, Call.READ, new Outcome(502, 3, 3, true, "open", 3, 3)),
                arguments(Fault.SLOW_DRIP, Call.CHARGE, new Outcome(502, 1, 1, false, "closed", 1, 1)));
    }

    @BeforeEach
    void healthyDependenciesAndClosedBreakers() {
        checkout = new CheckoutClient(port);
        PAYMENTS.reset();
        PRICES.reset();
        breakers.all().forEach(CircuitBreaker::reset);
        time.clear();
    }

    @AfterEach
    void dependenciesRunningAgain() {
        PAYMENTS.runningAndUnpaused();
        PRICES.runningAndUnpaused();
        PAYMENTS.release();
    }

    @AfterAll
    static void printTheTable() {
        System.out.print("fault matrix (" + FaultMatrixOutageTests.class.getSimpleName() + ")\n" + TABLE);
    }

    @ParameterizedTest(name = "{0} on {1}: {2}")
    @MethodSource("matrix")
    void theContainerTheGuardAndTheBreakerAgreeOnWhatEachFaultDid(Fault fault, Call call, Outcome expected)
            throws Exception {
        // given
        long attemptsBefore = checkout.count("resilience.attempts", "method:" + call.method);
        long retriedBefore = checkout.count("resilience.operations", "method:" + call.method, "retried:true");

        // when
        long started = System.nanoTime();
        int status = during(fault, () -> call(fault, call));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        // then
        JsonNode breaker = checkout.breaker("payments");
        Outcome actual = new Outcome(status, PAYMENTS.calls().size(),
                (int) (checkout.count("resilience.attempts", "method:" + call.method) - attemptsBefore),
                checkout.count("resilience.operations", "method:" + call.method, "retried:true") > retriedBefore,
                breaker.get("state").asString(), breaker.get("bufferedCalls").asInt(), breaker.get("failedCalls").asInt());
        TABLE.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %s | %s %d/%d | %d ms |%n", fault.label,
                call.http, actual.status(), actual.requests(), actual.attempts(), actual.retried() ? "yes" : "no",
                actual.state(), actual.failed(), actual.buffered(), millis));
        assertThat(actual).isEqualTo(expected);
        assertThat(millis).as("bounded by the timeouts: 3 attempts of at most 1s").isLessThan(5_000);
        assertThat(PAYMENTS.calls()).allMatch(line -> line.startsWith(call.http + " /charges"));
    }

    /** Makes the dependency fail as the fault says while the call runs, then undoes what can be undone at once. */
    private int during(Fault fault, java.util.concurrent.Callable<Integer> call) throws Exception {
        switch (fault) {
            case REFUSED -> {
                PAYMENTS.kill();
                try {
                    return call.call();
                } finally {
                    PAYMENTS.restart(); // its log survives, and is read from the running container
                }
            }
            case READ_TIMEOUT -> PAYMENTS.mode("hold");
            case RESET -> PAYMENTS.mode("reset");
            case ERROR_500 -> PAYMENTS.mode("failing");
            case THROTTLED_503 -> PAYMENTS.mode("throttled");
            case TOO_MANY_429 -> PAYMENTS.mode("too-many");
            case SLOW_DRIP -> PAYMENTS.mode("drip");
            case CONNECT_TIMEOUT -> {
                try (AutoCloseable queued = PAYMENTS.pauseWithFullAcceptQueue()) {
                    return call.call();
                } finally {
                    PAYMENTS.unpause();
                }
            }
            case UNKNOWN_HOST -> {
                // nothing to break: the second client's host never resolves
            }
        }
        return call.call();
    }

    private int call(Fault fault, Call call) {
        if (fault == Fault.UNKNOWN_HOST) {
            PaymentClient unresolvable = unresolvablePayments();
            try {
                if (call == Call.READ) {
                    unresolvable.find("ch_7");
                } else {
                    unresolvable.charge(new ChargeRequest(1000, "EUR", "book-42 x1"));
                }
                return 200;
            } catch (RuntimeException failure) {
                return statusFor(failure);
            }
        }
        return call == Call.READ ? checkout.charge("ch_7").statusCode() : checkout.order("book-42").statusCode();
    }

    /**
     * A second payments client, made as the application makes its own (same timeouts, buffered bodies, an HTTP
     * service proxy of the same interface) but for a host that never resolves, and guarded by the application's
     * advisor: same breaker, same meters.
     */
    private PaymentClient unresolvablePayments() {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout()).build();
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(http);
        requests.setReadTimeout(properties.readTimeout());
        String url = PAYMENTS.baseUrl().replace("127.0.0.1", UNRESOLVABLE);
        RestClient rest = restClients.clone().baseUrl(url).requestFactory(requests)
                .bufferContent((uri, method) -> true).build();
        PaymentClient client = HttpServiceProxyFactory.builderFor(RestClientAdapter.create(rest)).build()
                .createClient(PaymentClient.class);
        Object guarded = context.getAutowireCapableBeanFactory().initializeBean(client, "unresolvablePaymentClient");
        return (PaymentClient) guarded;
    }

    /** The checkout's own mapping of a dependency's failure to an answer (DownstreamFailures). */
    private static int statusFor(RuntimeException failure) {
        if (failure instanceof BreakerOpenException) {
            return 503;
        }
        if (failure instanceof RestClientResponseException answered) {
            return answered.getStatusCode().value() == 404 ? 404 : 502;
        }
        if (failure instanceof ResourceAccessException unreachable) {
            return unreachable.getCause() instanceof HttpTimeoutException ? 504 : 502;
        }
        if (failure instanceof RestClientException) {
            for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof IOException || cause instanceof HttpMessageNotReadableException) {
                    return 502; // an answer that broke off or could not be read
                }
            }
        }
        return 500;
    }
}
