package dev.resilience.spring.httpclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import dev.resilience.BreakerOpenException;
import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import dev.resilience.spring.BreakerRegistry;
import dev.resilience.spring.boot.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.boot.metrics.ResilienceMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientAdapter;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

/**
 * An HTTP service client, a JDK proxy made by {@link HttpServiceProxyFactory}, guarded by the annotations of its
 * interface, against a real HTTP server that answers 500 and counts every request.
 */
class HttpServiceClientTests {

    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class,
                    ResilienceMetricsAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withPropertyValues("resilience.breaker.instances.payments.window-size=4",
                    "resilience.breaker.instances.payments.minimum-calls=4",
                    "resilience.breaker.instances.payments.failure-rate-threshold=100",
                    "resilience.retry.defaults.delay=0ms");

    @BeforeEach
    void failingServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private PaymentApi client() {
        RestClient http = RestClient.create("http://127.0.0.1:" + server.getAddress().getPort());
        return HttpServiceProxyFactory.builderFor(RestClientAdapter.create(http)).build().createClient(PaymentApi.class);
    }

    @Test
    void anHttpServiceClientIsGuardedByItsInterfacesAnnotationsAndNamedAfterTheInterface() {
        runner.withBean(PaymentApi.class, this::client).run(context -> {
            // regression: startup failed with "$Proxy48.find is final"
            assertThat(context).hasNotFailed();
            PaymentApi payments = context.getBean(PaymentApi.class);
            assertThat(Proxy.isProxyClass(payments.getClass())).isTrue();

            // when: an idempotent read, 3 attempts, against a server answering 500
            Throwable failed = catchThrowable(() -> payments.find("ch_1"));

            // then
            assertThat(failed).isInstanceOf(HttpServerErrorException.class);
            assertThat(requests).hasValue(3);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.get("resilience.attempts").tags("method", "PaymentApi.find", "breaker", "payments",
                    "outcome", "failure").timer().count()).isEqualTo(3);
        });
    }

    @Test
    void theInterfacesBreakerRejectsOnceItHasSeenItsWindowOfRealFailures() {
        runner.withBean(PaymentApi.class, this::client).run(context -> {
            PaymentApi payments = context.getBean(PaymentApi.class);

            // when: a charge (not idempotent: not retried on a 500), four times, then a fifth
            for (int i = 0; i < 4; i++) {
                catchThrowable(() -> payments.charge("{}"));
            }
            Throwable fifth = catchThrowable(() -> payments.charge("{}"));

            // then
            assertThat(requests).hasValue(4);
            assertThat(fifth).isInstanceOf(BreakerOpenException.class);
            assertThat(context.getBean(BreakerRegistry.class).breaker("payments").snapshot().failedCalls())
                    .isEqualTo(4);
        });
    }

    @Test
    void theMetersOfAnHttpServiceClientExistAtZeroFromStartupBeforeAnyCall() {
        // regression: an interface's guards were built at the first call, so its meters were missing until then
        runner.withBean(PaymentApi.class, this::client).run(context -> {
            MeterRegistry meters = context.getBean(MeterRegistry.class);

            for (String method : new String[] { "PaymentApi.charge", "PaymentApi.find" }) {
                assertThat(meters.get("resilience.operations").tags("method", method, "breaker", "payments",
                        "outcome", "success", "retried", "false").timer().count()).isZero();
                assertThat(meters.get("resilience.attempts").tags("method", method, "breaker", "payments",
                        "outcome", "failure").timer().count()).isZero();
            }
            assertThat(requests).hasValue(0);
        });
    }

    @Test
    void theMetersOfAClassImplementingAnAnnotatedInterfaceExistFromStartupUnderTheClassesName() {
        runner.withBean(Payments.class, Payments::new).run(context -> {
            MeterRegistry meters = context.getBean(MeterRegistry.class);

            assertThat(meters.find("resilience.operations").tag("method", "Payments.find").timers()).isNotEmpty();

            // and the call counts on those very meters
            context.getBean(PaymentApi.class).find("ch_1");
            assertThat(meters.get("resilience.operations").tags("method", "Payments.find", "outcome", "success")
                    .timer().count()).isEqualTo(1);
            assertThat(meters.find("resilience.operations").tag("method", "PaymentApi.find").timers()).isEmpty();
        });
    }

    /** A plain class whose only annotations are its interface's. */
    static class Payments implements PaymentApi {

        @Override
        public String charge(String body) {
            return "charged";
        }

        @Override
        public String find(String id) {
            return "found " + id;
        }
    }

    @HttpExchange("/charges")
    @Breaker("payments")
    public interface PaymentApi {

        @PostExchange
        @Retry(maxAttempts = 3)
        String charge(@RequestBody String body);

        @GetExchange("/{id}")
        @Retry(maxAttempts = 3, idempotent = true)
        String find(@PathVariable String id);
    }
}
