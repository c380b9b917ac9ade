package dev.resilience.sample.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.BreakerState;
import dev.resilience.CircuitBreaker;
import dev.resilience.sample.CheckoutClient;
import dev.resilience.sample.ManualTimeConfiguration;
import dev.resilience.spring.BreakerRegistry;
import dev.resilience.test.ManualTimeSource;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
import tools.jackson.databind.JsonNode;

/**
 * The checkout service against real containers playing payments and prices, called over real HTTP. The payments
 * breaker (application-outage.yml) opens when its count window of 3 holds 3 failures, stays open 10s and then
 * admits 2 probes; retries wait 100ms then 200ms. The breakers' and retries' clock is a {@link ManualTimeSource}; the
 * HTTP timeouts (connect 250ms, read 2s) are real. Each test counts the real calls in the container's own log and
 * checks that {@code /actuator/metrics} and {@code /actuator/breakers} agree with it.
 */
@ExtendWith(DockerRequirement.class)
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("outage")
@Import(ManualTimeConfiguration.class)
class CheckoutOutageTests {

    private static final String CHARGE = "PaymentClient.charge";
    private static final String FIND = "PaymentClient.find";
    private static final String PRICE = "PriceClient.price";
    private static final long FAST_MILLIS = 500;

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
    }

    @Test
    void aPausedPaymentsServiceOpensTheBreakerAfterExactlyThreeRealCallsThenCallersGet503AtOnce() {
        // given
        Tally before = tally(CHARGE);

        // when: three orders, one at a time, while payments is paused (its socket accepts, nothing answers)
        List<Integer> statuses = ordersWhilePaymentsIsPaused(3);

        // then: each charge timed out once, without retry (it may have reached payments), and the breaker opened
        assertThat(statuses).containsExactly(504, 504, 504);
        assertThat(breakers.breaker("payments").state()).isEqualTo(BreakerState.OPEN);
        assertThat(tally(CHARGE).minus(before)).isEqualTo(new Tally(new Attempts(0, 3, 0), new Operations(0, 0, 3, 0, 0)));

        // when: two more orders, the second 2.5s later on the breaker's clock
        long started = System.nanoTime();
        HttpResponse<String> rejected = checkout.order("book-42");
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        time.advance(2_500, TimeUnit.MILLISECONDS);
        HttpResponse<String> rejectedLater = checkout.order("book-42");

        // then: rejected at once, with the time left until a probe, in whole seconds rounded up
        assertThat(rejected.statusCode()).isEqualTo(503);
        assertThat(elapsedMillis).isLessThan(FAST_MILLIS);
        assertThat(rejected.headers().firstValue("Retry-After")).hasValue("10");
        assertThat(rejectedLater.statusCode()).isEqualTo(503);
        assertThat(rejectedLater.headers().firstValue("Retry-After")).hasValue("8");

        // when: payments is unpaused, and answers the requests it had queued
        PAYMENTS.unpause();
        await().atMost(Duration.ofSeconds(15)).until(() -> PAYMENTS.calls().size() >= 3);

        // then: payments saw exactly the three timed-out charges, prices every order; metrics and endpoint agree
        assertThat(PAYMENTS.calls()).containsExactly("POST /charges", "POST /charges", "POST /charges");
        assertThat(PRICES.calls()).hasSize(5).containsOnly("GET /prices/book-42");
        assertThat(tally(CHARGE).minus(before)).isEqualTo(new Tally(new Attempts(0, PAYMENTS.calls().size(), 2),
                new Operations(0, 0, 3, 0, 2)));
        JsonNode breaker = checkout.breaker("payments");
        assertThat(breaker.get("state").asString()).isEqualTo("open");
        assertThat(breaker.get("bufferedCalls").asLong()).isEqualTo(3);
        assertThat(breaker.get("failedCalls").asLong()).isEqualTo(3);
        assertThat(breaker.get("failureRate").asDouble()).isEqualTo(100.0);
        assertThat(breaker.get("rejectedCalls").asLong()).isEqualTo(2);
        assertThat(breaker.get("remainingOpen").asString()).isEqualTo("PT7.5S");
    }

    @Test
    void afterTheOpenDurationAtMostTwoProbesReachTheUnpausedServiceWhateverTheCallersThenTheBreakerCloses()
            throws Exception {
        // given: the breaker opened by a pause; payments unpaused, its queue answered, now holding every answer
        ordersWhilePaymentsIsPaused(3);
        PAYMENTS.unpause();
        await().atMost(Duration.ofSeconds(15)).until(() -> PAYMENTS.calls().size() >= 3);
        assertThat(breakers.breaker("payments").state()).isEqualTo(BreakerState.OPEN);
        PAYMENTS.mode("hold");
        Tally before = tally(FIND);

        // when: the open duration passes, and 20 callers read a charge at once
        time.advance(10, TimeUnit.SECONDS);
        int callers = 20;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        long heldMillis;
        try {
            for (int i = 0; i < callers; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> {
                    released(go);
                    return checkout.charge("ch_1");
                }, pool));
            }
            long probesSent = System.nanoTime();
            go.countDown();

            // then: 18 callers are rejected at once while 2 probes wait for payments' answer. Only in-process
            // checks and one call to the checkout happen here: the probes must be answered within the 2s read
            // timeout, so the container's log is read once they have been
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                    .until(() -> done(answers).size() == callers - 2);
            assertThat(done(answers)).extracting(HttpResponse::statusCode).containsOnly(503);
            assertThat(done(answers)).extracting(answer -> answer.headers().firstValue("Retry-After").orElse(null))
                    .as("every probe is taken: a probe is admitted when half-open-max-wait (60s) ends at the latest")
                    .containsOnly("60");
            assertThat(breakers.breaker("payments").state()).isEqualTo(BreakerState.HALF_OPEN);
            assertThat(checkout.breaker("payments").get("state").asString()).isEqualTo("half_open");

            // when: payments answers the probes
            PAYMENTS.release();
            heldMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - probesSent);
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(15, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        // then: exactly 2 requests ever reached payments after the pause, both probes succeeded, the breaker closed
        assertThat(PAYMENTS.calls()).hasSize(3 + 2);
        assertThat(PAYMENTS.calls().subList(3, 5)).containsExactly("GET /charges/ch_1", "GET /charges/ch_1");
        assertThat(answers).extracting(answer -> answer.join().statusCode()).filteredOn(status -> status == 200)
                .as("probes answered 200; they were held %d ms, and a probe held past the 2s read timeout fails",
                        heldMillis)
                .hasSize(2);
        assertThat(breakers.breaker("payments").state()).isEqualTo(BreakerState.CLOSED);

        // when: traffic goes on
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            statuses.add(checkout.charge("ch_1").statusCode());
        }

        // then: it flows, and payments, the metrics and the endpoint tell the same story
        assertThat(statuses).containsOnly(200);
        List<String> reads = PAYMENTS.calls().subList(3, PAYMENTS.calls().size());
        assertThat(reads).hasSize(2 + 5).containsOnly("GET /charges/ch_1");
        assertThat(tally(FIND).minus(before)).isEqualTo(new Tally(new Attempts(reads.size(), 0, 18),
                new Operations(reads.size(), 0, 0, 0, 18)));
        JsonNode breaker = checkout.breaker("payments");
        assertThat(breaker.get("state").asString()).isEqualTo("closed");
        assertThat(breaker.get("transitions").toString()).contains("half_open");
    }

    @Test
    void aChargeRefusedByAKilledServiceIsRetriedBecauseItWasNeverSentAndReachesPaymentsOnce() {
        // given: payments killed, and started again during the wait before the first retry
        PAYMENTS.kill();
        time.onNextSleep(PAYMENTS::restart);
        Tally before = tally(CHARGE);

        // when
        HttpResponse<String> answer = checkout.order("book-42");

        // then: the refused attempt was retried after 100ms and the charge was made exactly once
        assertThat(answer.statusCode()).isEqualTo(201);
        assertThat(time.sleeps()).containsExactly(TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(PAYMENTS.calls()).containsExactly("POST /charges");
        assertThat(tally(CHARGE).minus(before)).isEqualTo(new Tally(new Attempts(1, 1, 0), new Operations(0, 1, 0, 0, 0)));
        JsonNode breaker = checkout.breaker("payments");
        assertThat(breaker.get("bufferedCalls").asLong()).isEqualTo(2);
        assertThat(breaker.get("failedCalls").asLong()).isEqualTo(1);
    }

    @Test
    void aChargeAnswered500IsNotRetriedBecauseItReachedPayments() {
        // given
        PAYMENTS.mode("failing");
        Tally before = tally(CHARGE);

        // when
        HttpResponse<String> answer = checkout.order("book-42");

        // then
        assertThat(answer.statusCode()).isEqualTo(502);
        assertThat(time.sleeps()).isEmpty();
        assertThat(PAYMENTS.calls()).containsExactly("POST /charges");
        assertThat(tally(CHARGE).minus(before)).isEqualTo(new Tally(new Attempts(0, 1, 0), new Operations(0, 0, 1, 0, 0)));
        assertThat(checkout.breaker("payments").get("failedCalls").asLong()).isEqualTo(1);
    }

    @Test
    void aChargeReadIsRetriedWhenRefusedByAKilledService() {
        // given
        PAYMENTS.kill();
        Tally before = tally(FIND);

        // when
        HttpResponse<String> answer = checkout.charge("ch_5");

        // then: three attempts, waits of 100ms then 200ms, none reached payments
        assertThat(answer.statusCode()).isEqualTo(502);
        assertThat(time.sleeps()).containsExactly(TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.MILLISECONDS.toNanos(200));
        assertThat(tally(FIND).minus(before)).isEqualTo(new Tally(new Attempts(0, 3, 0), new Operations(0, 0, 0, 1, 0)));
        PAYMENTS.restart();
        assertThat(PAYMENTS.calls()).isEmpty();

        // and: a refused connection is a failure of the dependency for the breaker too; its window of 3 is full
        JsonNode breaker = checkout.breaker("payments");
        assertThat(breaker.get("state").asString()).isEqualTo("open");
        assertThat(breaker.get("failedCalls").asLong()).isEqualTo(3);
    }

    @Test
    void aChargeReadAnswered500IsRetriedAndEveryAttemptCountsInTheBreaker() {
        // given
        PAYMENTS.mode("failing");
        Tally before = tally(FIND);

        // when
        HttpResponse<String> answer = checkout.charge("ch_5");

        // then: three real calls, and the breaker's window of 3 is full of them: it opened
        assertThat(answer.statusCode()).isEqualTo(502);
        assertThat(time.sleeps()).containsExactly(TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.MILLISECONDS.toNanos(200));
        assertThat(PAYMENTS.calls()).containsExactly("GET /charges/ch_5", "GET /charges/ch_5", "GET /charges/ch_5");
        assertThat(tally(FIND).minus(before)).isEqualTo(new Tally(new Attempts(0, 3, 0), new Operations(0, 0, 0, 1, 0)));
        JsonNode breaker = checkout.breaker("payments");
        assertThat(breaker.get("state").asString()).isEqualTo("open");
        assertThat(breaker.get("failedCalls").asLong()).isEqualTo(PAYMENTS.calls().size());
    }

    @Test
    void whenPricesAnswers500AfterEveryRetryTheLastKnownPriceIsServed() {
        // given: a live price seen once
        HttpResponse<String> live = checkout.price("mug-7");
        PRICES.mode("failing");
        Tally before = tally(PRICE);
        long fallbacks = checkout.count("resilience.fallbacks", "method:PriceCatalog.quote", "outcome:success");

        // when
        HttpResponse<String> stale = checkout.price("mug-7");

        // then: three real calls (a read is retried), then the remembered price, marked stale
        assertThat(live.body()).isEqualTo("{\"sku\":\"mug-7\",\"amount\":1250,\"currency\":\"EUR\",\"stale\":false}");
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.body()).isEqualTo("{\"sku\":\"mug-7\",\"amount\":1250,\"currency\":\"EUR\",\"stale\":true}");
        assertThat(PRICES.calls()).containsExactly("GET /prices/mug-7", "GET /prices/mug-7", "GET /prices/mug-7",
                "GET /prices/mug-7");
        assertThat(tally(PRICE).minus(before)).isEqualTo(new Tally(new Attempts(0, 3, 0), new Operations(0, 0, 0, 1, 0)));
        assertThat(checkout.count("resilience.fallbacks", "method:PriceCatalog.quote", "outcome:success")).isEqualTo(fallbacks + 1);
        JsonNode breaker = checkout.breaker("prices");
        assertThat(breaker.get("state").asString()).isEqualTo("closed");
        assertThat(breaker.get("bufferedCalls").asLong()).isEqualTo(PRICES.calls().size());
        assertThat(breaker.get("failedCalls").asLong()).isEqualTo(3);
    }

    /** Pauses payments and places orders one at a time; payments stays paused. */
    private List<Integer> ordersWhilePaymentsIsPaused(int orders) {
        PAYMENTS.pause();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            statuses.add(checkout.order("book-42").statusCode());
        }
        return statuses;
    }

    private static List<HttpResponse<String>> done(List<CompletableFuture<HttpResponse<String>>> answers) {
        return answers.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join).toList();
    }

    private static void released(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted before all callers were released", interrupted);
        }
    }

    private Tally tally(String method) {
        return new Tally(
                new Attempts(count("resilience.attempts", method, "outcome:success"),
                        count("resilience.attempts", method, "outcome:failure"),
                        count("resilience.attempts", method, "outcome:rejected")),
                new Operations(count("resilience.operations", method, "outcome:success", "retried:false"),
                        count("resilience.operations", method, "outcome:success", "retried:true"),
                        count("resilience.operations", method, "outcome:failure", "retried:false"),
                        count("resilience.operations", method, "outcome:failure", "retried:true"),
                        count("resilience.operations", method, "outcome:rejected")));
    }

    private long count(String meter, String method, String... tags) {
        String[] all = new String[tags.length + 1];
        all[0] = "method:" + method;
        System.arraycopy(tags, 0, all, 1, tags.length);
        return checkout.count(meter, all);
    }

    /** One method's samples in {@code /actuator/metrics}: its attempts and its operations. */
    private record Tally(Attempts attempts, Operations operations) {

        Tally minus(Tally earlier) {
            return new Tally(new Attempts(attempts.success - earlier.attempts.success,
                    attempts.failure - earlier.attempts.failure, attempts.rejected - earlier.attempts.rejected),
                    new Operations(operations.successFirstTry - earlier.operations.successFirstTry,
                            operations.successRetried - earlier.operations.successRetried,
                            operations.failureFirstTry - earlier.operations.failureFirstTry,
                            operations.failureRetried - earlier.operations.failureRetried,
                            operations.rejected - earlier.operations.rejected));
        }
    }

    /** {@code resilience.attempts} by outcome. */
    private record Attempts(long success, long failure, long rejected) {
    }

    /** {@code resilience.operations} by outcome, and by the {@code retried} tag for success and failure. */
    private record Operations(long successFirstTry, long successRetried, long failureFirstTry, long failureRetried,
            long rejected) {
    }
}
