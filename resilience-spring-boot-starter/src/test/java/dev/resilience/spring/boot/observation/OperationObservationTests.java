package dev.resilience.spring.boot.observation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.BreakerConfig;
import dev.resilience.BreakerOpenException;
import dev.resilience.CircuitBreaker;
import dev.resilience.Guard;
import dev.resilience.RetryPolicy;
import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import dev.resilience.spring.GuardedMethod;
import dev.resilience.spring.boot.testsupport.FakeTimeSource;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.DefaultPointcutAdvisor;

/**
 * The observation advisor in front of a stand-in for the starter's interceptor, which runs each call through a
 * {@link Guard} whose listener comes from {@link ObservationGuardListeners}, as the starter does.
 */
class OperationObservationTests {

    private final FakeTimeSource time = new FakeTimeSource();
    private final ObservationRegistry registry = ObservationRegistry.create();
    private final Recorder recorder = new Recorder();
    private final CircuitBreaker payments = CircuitBreaker.of("payments",
            BreakerConfig.builder().windowSize(10).minimumCalls(10).build(), time);
    private final PaymentClient target = new PaymentClient();

    OperationObservationTests() {
        registry.observationConfig().observationHandler(recorder);
    }

    @Test
    void oneObservationPerOperationWithAnEventPerRetry() {
        // given a dependency that always fails
        PaymentClient client = proxy();

        // when
        assertThatThrownBy(client::charge).isInstanceOf(IOException.class);

        // then
        assertThat(recorder.started).hasSize(1);
        Observation.Context operation = recorder.started.get(0);
        assertThat(operation.getName()).isEqualTo("resilience.operation");
        assertThat(operation.getContextualName()).isEqualTo("PaymentClient.charge");
        assertThat(recorder.events).containsExactly(
                "retry: attempt 1 failed (failure, java.io.IOException); attempt 2 in 100.0 ms",
                "retry: attempt 2 failed (failure, java.io.IOException); attempt 3 in 200.0 ms");
        assertThat(operation.getLowCardinalityKeyValues()).containsExactlyInAnyOrder(
                KeyValue.of("method", "PaymentClient.charge"), KeyValue.of("breaker", "payments"),
                KeyValue.of("outcome", "failure"));
        assertThat(operation.getHighCardinalityKeyValue("attempts").getValue()).isEqualTo("3");
        assertThat(operation.getError()).isInstanceOf(IOException.class);
        assertThat(recorder.stopped).containsExactly(operation);
    }

    @Test
    void aSuccessfulOperationWithoutRetryHasNoEvent() throws Exception {
        // given
        target.failures.set(0);
        PaymentClient client = proxy();

        // when
        String answer = client.charge();

        // then
        assertThat(answer).isEqualTo("charged");
        assertThat(recorder.events).isEmpty();
        Observation.Context operation = recorder.stopped.get(0);
        assertThat(operation.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("success");
        assertThat(operation.getHighCardinalityKeyValue("attempts").getValue()).isEqualTo("1");
        assertThat(operation.getError()).isNull();
    }

    @Test
    void aRejectionIsARejectedOperation() {
        // given
        payments.forceOpen();
        PaymentClient client = proxy();

        // when
        assertThatThrownBy(client::charge).isInstanceOf(BreakerOpenException.class);

        // then
        Observation.Context operation = recorder.stopped.get(0);
        assertThat(operation.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("rejected");
        assertThat(recorder.events).isEmpty();
        assertThat(target.calls).hasValue(0);
    }

    @Test
    void theAttemptsObservationsAreChildrenOfTheOperation() {
        // given an attempt that is itself observed, like an HTTP client call
        target.observeAttemptsIn(registry);
        PaymentClient client = proxy();

        // when
        assertThatThrownBy(client::charge).isInstanceOf(IOException.class);

        // then
        Observation.Context operation = recorder.started.get(0);
        List<Observation.Context> attempts = recorder.started.subList(1, recorder.started.size());
        assertThat(attempts).hasSize(3).allSatisfy(attempt -> {
            assertThat(attempt.getName()).isEqualTo("http.client.requests");
            assertThat(attempt.getParentObservation().getContextView()).isSameAs(operation);
        });
    }

    @Test
    void anAsynchronousOperationStopsWhenItsStageCompletes() {
        // given
        PaymentClient client = proxy();
        CompletableFuture<String> answer = new CompletableFuture<>();
        target.nextAnswer = answer;

        // when
        CompletionStage<String> stage = client.chargeLater();

        // then
        assertThat(recorder.started).hasSize(1);
        assertThat(recorder.stopped).isEmpty();

        // when
        answer.complete("charged");

        // then
        assertThat(stage.toCompletableFuture()).isCompletedWithValue("charged");
        assertThat(recorder.stopped).hasSize(1);
        assertThat(recorder.stopped.get(0).getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("success");
    }

    @Test
    void anAsynchronousRejectionIsARejectedOperation() {
        // given
        payments.forceOpen();
        PaymentClient client = proxy();

        // when
        CompletionStage<String> stage = client.chargeLater();

        // then
        assertThat(stage.toCompletableFuture()).isCompletedExceptionally();
        assertThat(recorder.stopped.get(0).getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("rejected");
    }

    @Test
    void aNoopRegistryCallsStraightThrough() throws Exception {
        // given
        target.failures.set(0);
        ProxyFactory factory = new ProxyFactory(target);
        factory.setProxyTargetClass(true);
        factory.addAdvisor(new DefaultPointcutAdvisor(new GuardedMethodPointcut(),
                new OperationObservationInterceptor(() -> ObservationRegistry.NOOP)));
        PaymentClient client = (PaymentClient) factory.getProxy();

        // when
        String answer = client.charge();

        // then
        assertThat(answer).isEqualTo("charged");
        assertThat(recorder.started).isEmpty();
    }

    @Test
    void methodsOfObjectAreNotObserved() {
        // given
        PaymentClient client = proxy();

        // when
        client.toString();
        client.hashCode();

        // then
        assertThat(recorder.started).isEmpty();
    }

    @Test
    void aMethodsBreakerWinsOverItsClasss() {
        assertThat(OperationObservationInterceptor.Tags.of(method("chargeElsewhere"), PaymentClient.class))
                .isEqualTo(new OperationObservationInterceptor.Tags("PaymentClient.chargeElsewhere", "backup"));
        assertThat(OperationObservationInterceptor.Tags.of(method("charge"), PaymentClient.class))
                .isEqualTo(new OperationObservationInterceptor.Tags("PaymentClient.charge", "payments"));
        assertThat(OperationObservationInterceptor.Tags.of(method(Unguarded.class, "ping"), Unguarded.class))
                .isEqualTo(new OperationObservationInterceptor.Tags("Unguarded.ping", "none"));
    }

    @Test
    void anInheritedMethodIsTaggedWithEachSubclassAndItsBreaker() {
        java.lang.reflect.Method call = method(RegionClient.class, "call");
        assertThat(OperationObservationInterceptor.Tags.of(call, EastClient.class))
                .isEqualTo(new OperationObservationInterceptor.Tags("EastClient.call", "east"));
        assertThat(OperationObservationInterceptor.Tags.of(call, WestClient.class))
                .isEqualTo(new OperationObservationInterceptor.Tags("WestClient.call", "west"));
        assertThat(new GuardedMethodPointcut().matches(call, EastClient.class)).isTrue();
        assertThat(new GuardedMethodPointcut().matches(call, RegionClient.class)).isFalse();
    }

    private static java.lang.reflect.Method method(String name) {
        return method(PaymentClient.class, name);
    }

    private static java.lang.reflect.Method method(Class<?> type, String name) {
        try {
            return type.getMethod(name);
        } catch (NoSuchMethodException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private PaymentClient proxy() {
        ObservationGuardListeners listeners = new ObservationGuardListeners(() -> registry);
        Guard guard = Guard.builder("PaymentClient.charge")
                .retry(RetryPolicy.builder().maxAttempts(3).idempotent(true).delay(Duration.ofMillis(100)).build())
                .breaker(payments).timeSource(time).random(() -> 0.0)
                .listener(listeners.create(new GuardedMethod("PaymentClient.charge", "payments",
                        method("charge"), PaymentClient.class)))
                .build();
        Guard asyncGuard = Guard.builder("PaymentClient.chargeLater").breaker(payments).timeSource(time)
                .listener(listeners.create(new GuardedMethod("PaymentClient.chargeLater", "payments",
                        method("chargeLater"), PaymentClient.class)))
                .build();
        MethodInterceptor starterStandIn = invocation -> {
            ProxyMethodInvocation pmi = (ProxyMethodInvocation) invocation;
            if (invocation.getMethod().getName().equals("chargeLater")) {
                return asyncGuard.callAsync(() -> (CompletionStage<?>) proceed(pmi));
            }
            return guard.call(() -> proceed(pmi));
        };
        ProxyFactory factory = new ProxyFactory(target);
        factory.setProxyTargetClass(true);
        factory.addAdvisor(new DefaultPointcutAdvisor(new GuardedMethodPointcut(),
                new OperationObservationInterceptor(() -> registry)));
        factory.addAdvisor(new DefaultPointcutAdvisor(new GuardedMethodPointcut(), starterStandIn));
        return (PaymentClient) factory.getProxy();
    }

    private static Object proceed(ProxyMethodInvocation invocation) throws Exception {
        try {
            return invocation.invocableClone().proceed();
        } catch (Exception | Error ex) {
            throw ex;
        } catch (Throwable other) {
            throw new IllegalStateException(other);
        }
    }

    /** A guarded bean: fails {@code failures} times, then answers. */
    @Breaker("payments")
    public static class PaymentClient {

        final AtomicInteger failures = new AtomicInteger(Integer.MAX_VALUE);
        final AtomicInteger calls = new AtomicInteger();
        volatile ObservationRegistry observeIn;
        volatile CompletableFuture<String> nextAnswer = CompletableFuture.failedFuture(new IOException("refused"));

        @Retry(maxAttempts = 3, idempotent = true)
        public String charge() throws IOException {
            if (observeIn != null) {
                return Observation.createNotStarted("http.client.requests", observeIn).observeChecked(this::call);
            }
            return call();
        }

        @Breaker("backup")
        public String chargeElsewhere() {
            return "charged";
        }

        public CompletionStage<String> chargeLater() {
            calls.incrementAndGet();
            return nextAnswer;
        }

        void observeAttemptsIn(ObservationRegistry registry) {
            observeIn = registry;
        }

        private String call() throws IOException {
            calls.incrementAndGet();
            if (failures.getAndDecrement() > 0) {
                throw new IOException("connection refused");
            }
            return "charged";
        }
    }

    /** Inherits its method; each subclass names its own breaker. */
    public abstract static class RegionClient {
        public String call() {
            return "called";
        }
    }

    @Breaker("east")
    public static class EastClient extends RegionClient {
    }

    @Breaker("west")
    public static class WestClient extends RegionClient {
    }

    /** Carries no annotation. */
    public static class Unguarded {
        public void ping() {
        }
    }

    private static final class Recorder implements ObservationHandler<Observation.Context> {

        final List<Observation.Context> started = new CopyOnWriteArrayList<>();
        final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onStart(Observation.Context context) {
            started.add(context);
        }

        @Override
        public void onEvent(Observation.Event event, Observation.Context context) {
            if (context.getName().equals("resilience.operation")) {
                events.add(event.getName() + ": " + event.getContextualName());
            }
        }

        @Override
        public void onStop(Observation.Context context) {
            if (context.getName().equals("resilience.operation")) {
                stopped.add(context);
            }
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }
    }
}
