package dev.resilience.sample.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.BreakerOpenException;
import dev.resilience.BreakerState;
import dev.resilience.CircuitBreaker;
import dev.resilience.test.ManualTimeSource;
import dev.resilience.sample.ManualTimeConfiguration;
import dev.resilience.sample.feed.PriceFeed;
import dev.resilience.sample.prices.Price;
import dev.resilience.spring.BreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import reactor.core.publisher.Mono;

/**
 * The reactive path against a real container playing prices: {@link PriceFeed}'s WebClient Mono, guarded per
 * subscription by the breaker {@code price-feed} (a count window of 3, 100 %, 10 s open, 2 probes) and a retry of 3
 * attempts 50 ms then 100 ms apart, on a {@link ManualTimeSource} that the test moves while it waits. The container's own
 * log counts the requests that reached it: each retry is a resubscription, and so a request sent again.
 */
@ExtendWith(DockerRequirement.class)
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "resilience.breaker.instances.price-feed.window-size=3",
        "resilience.breaker.instances.price-feed.minimum-calls=3",
        "resilience.breaker.instances.price-feed.failure-rate-threshold=100",
        "resilience.breaker.instances.price-feed.open-duration=10s",
        "resilience.breaker.instances.price-feed.half-open-probes=2"})
@ActiveProfiles("outage")
@Import(ManualTimeConfiguration.class)
class PriceFeedOutageTests {

    private static final String METHOD = "PriceFeed.price";

    @Container
    static final DownstreamContainer PRICES = new DownstreamContainer();

    @DynamicPropertySource
    static void dependencies(DynamicPropertyRegistry registry) {
        registry.add("checkout.payments-url", PRICES::baseUrl); // not called here
        registry.add("checkout.prices-url", PRICES::baseUrl);
    }

    @Autowired
    private PriceFeed feed;

    @Autowired
    private ManualTimeSource time;

    @Autowired
    private BreakerRegistry breakers;

    @Autowired
    private MeterRegistry meters;

    @BeforeEach
    void healthyPricesAndAClosedBreaker() {
        PRICES.reset();
        breakers.all().forEach(CircuitBreaker::reset);
        time.clear();
    }

    @AfterEach
    void pricesRunningAgain() {
        PRICES.runningAndUnpaused();
    }

    @Test
    void aFailingPricesServiceGetsTheRequestAgainAtEachRetryOfOneSubscription() {
        // given
        PRICES.mode("failing");
        long before = operations("failure");

        // when
        Throwable failure = failureOf(feed.price("book-42"));

        // then: one subscription, three requests, one failed operation
        assertThat(failure).isInstanceOf(WebClientResponseException.InternalServerError.class);
        assertThat(PRICES.calls()).containsExactly("GET /prices/book-42", "GET /prices/book-42",
                "GET /prices/book-42");
        assertThat(operations("failure") - before).isEqualTo(1);
    }

    @Test
    void aKilledPricesServiceOpensTheBreakerAfterThreeRefusedAttemptsAndItsProbesCloseIt() throws Exception {
        // given prices killed: each connection is refused, so each request was never sent
        PRICES.kill();
        CircuitBreaker breaker = breakers.breaker("price-feed");

        // when one subscription
        Throwable refused = failureOf(feed.price("book-42"));

        // then its three attempts were refused, and the breaker, whose window holds them, opened
        assertThat(refused).isInstanceOf(WebClientRequestException.class);
        assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
        assertThat(breaker.snapshot().failedCalls()).isEqualTo(3);

        // when another subscription: rejected at once, nothing sent
        assertThat(failureOf(feed.price("book-42"))).isInstanceOf(BreakerOpenException.class);

        // when prices is back and the open duration has passed
        PRICES.restart();
        time.advance(10, TimeUnit.SECONDS);
        assertThat(breaker.state()).isEqualTo(BreakerState.HALF_OPEN);

        // then two probes get through and close the breaker
        Price first = feed.price("book-42").toFuture().get(10, TimeUnit.SECONDS);
        Price second = feed.price("book-42").toFuture().get(10, TimeUnit.SECONDS);
        assertThat(first.sku()).isEqualTo("book-42");
        assertThat(second.amount()).isEqualTo(1250);
        assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(PRICES.calls()).containsExactly("GET /prices/book-42", "GET /prices/book-42");
    }

    /** Subscribes, moving the manual clock while the attempts run, so that each retry's wait passes. */
    private Throwable failureOf(Mono<Price> price) {
        CompletableFuture<Price> result = price.toFuture();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            time.advance(50, TimeUnit.MILLISECONDS);
            return result.isDone();
        });
        try {
            Price answered = result.get();
            throw new AssertionError("expected a failure, but got " + answered);
        } catch (ExecutionException failed) {
            return failed.getCause();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new AssertionError(interrupted);
        }
    }

    private long operations(String outcome) {
        return meters.find("resilience.operations").tags("method", METHOD, "outcome", outcome).timers().stream()
                .mapToLong(Timer::count).sum();
    }
}
