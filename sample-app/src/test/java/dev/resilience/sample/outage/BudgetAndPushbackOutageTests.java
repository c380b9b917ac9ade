package dev.resilience.sample.outage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.CircuitBreaker;
import dev.resilience.sample.CheckoutClient;
import dev.resilience.sample.ManualTimeConfiguration;
import dev.resilience.spring.BreakerRegistry;
import dev.resilience.test.ManualTimeSource;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The payments dependency's retry budget and its server's pushback, against a real container that counts every
 * request in its own log. The budget here: retries may add 20 % of the first attempts over 60 s, with no floor, and
 * the payments breaker never opens (its window is larger than the burst). Retries wait 10 ms then 20 ms on
 * the {@link ManualTimeSource}, so the budget's window does not slide during a test.
 */
@ExtendWith(DockerRequirement.class)
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "resilience.retry.budget.defaults.enabled=true", "resilience.retry.budget.instances.payments.ratio=0.2",
        "resilience.retry.budget.instances.payments.min-retries-per-second=0",
        "resilience.retry.budget.instances.payments.window=60s", "resilience.retry.defaults.delay=10ms",
        "resilience.breaker.instances.payments.window-size=10000",
        "resilience.breaker.instances.payments.minimum-calls=10000" })
@ActiveProfiles("outage")
@Import(ManualTimeConfiguration.class)
class BudgetAndPushbackOutageTests {

    private static final String FIND = "PaymentClient.find";

    @Container
    static final DownstreamContainer PAYMENTS = new DownstreamContainer();

    @Container
    static final DownstreamContainer PRICES = new DownstreamContainer();

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

    private CheckoutClient checkout;

    @BeforeEach
    void healthyDependencies() {
        checkout = new CheckoutClient(port);
        PAYMENTS.reset();
        breakers.all().forEach(CircuitBreaker::reset);
        time.clear();
    }

    @AfterEach
    void healthyAgain() {
        PAYMENTS.mode("healthy");
    }

    @Test
    void aFlakyDependencyUnderABurstGetsAtMostWhatTheBudgetAllows() throws Exception {
        // given: payments fails every other call; 10 callers read 100 charges at once
        PAYMENTS.mode("flaky");
        int reads = 100;
        int callers = 10;
        long deniedBefore = checkout.count("resilience.retry.budget.denied", "method:" + FIND);

        // when
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < reads; i++) {
                String id = "ch_" + i;
                answers.add(pool.submit(() -> checkout.charge(id)));
            }
            for (Future<HttpResponse<String>> answer : answers) {
                answer.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        // then: unbounded, about half the first attempts and half of their retries would be retried (about 175
        // requests); the budget allows 0.2 x 100 = 20 retries, and racing callers may each take one more
        int requests = PAYMENTS.calls().size();
        System.out.printf("budget burst: %d reads, %d requests reached payments (%.2f per read)%n", reads, requests,
                requests / (double) reads);
        assertThat(requests).isGreaterThan(reads).isLessThanOrEqualTo(reads + 20 + callers);
        assertThat(checkout.count("resilience.retry.budget.denied", "method:" + FIND) - deniedBefore)
                .as("the retries the budget refused are counted").isPositive();
    }

    @Test
    void aThrottlingDependencysRetryAfterIsObeyedExactlyWithoutJitter() {
        // given: payments answers 503 with Retry-After: 1 to every other call
        PAYMENTS.mode("throttled");

        // when
        HttpResponse<String> read = checkout.charge("ch_7");

        // then: the first request was throttled, the retry waited exactly the server's second and got through
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(PAYMENTS.calls()).containsExactly("GET /charges/ch_7", "GET /charges/ch_7");
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1).toNanos());
        assertThat(checkout.count("resilience.retry.waits", "method:" + FIND, "reason:pushback")).isEqualTo(1);
    }

    @Test
    void aRetryAfterLongerThanMaxDelayEndsTheOperationAtOnce() {
        // given: Retry-After: 30, longer than the retry's max-delay (1s in the sample app)
        PAYMENTS.mode("throttled-long");

        // when
        HttpResponse<String> read = checkout.charge("ch_8");

        // then: no second request, no wait: retrying sooner would disobey the server
        assertThat(read.statusCode()).isGreaterThanOrEqualTo(500);
        assertThat(PAYMENTS.calls()).containsExactly("GET /charges/ch_8");
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void aThrottledChargeIsNotRetriedPushbackNeverMakesAFailureRetryable() {
        // given
        PAYMENTS.mode("throttled");

        // when
        HttpResponse<String> order = checkout.order("book-42");

        // then: a POST that got a 503 may have been processed: it is not retried, whatever the server says
        assertThat(order.statusCode()).isGreaterThanOrEqualTo(500);
        assertThat(PAYMENTS.calls()).containsExactly("POST /charges");
        assertThat(time.sleeps()).isEmpty();
    }
}
