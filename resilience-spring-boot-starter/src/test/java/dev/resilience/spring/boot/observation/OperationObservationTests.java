package dev.resilience.spring.boot.observation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.BreakerConfig;
import dev.resilience.BreakerOpenException;
import dev.resilience.CircuitBreaker;
import dev.resilience.GuardListener;
import dev.resilience.RetryDefaults;
import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import dev.resilience.spring.GuardedMethod;
import dev.resilience.spring.aop.MethodGuards;
import dev.resilience.spring.aop.ResilienceAdvisor;
import dev.resilience.test.ManualTimeSource;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.ProxyFactory;

/**
 * The observation advisor in front of the starter's advisor, whose guards get their listener from
 * {@link ObservationGuardListeners}, as the auto-configurations assemble them.
 */
class OperationObservationTests {

    private final ManualTimeSource time = new ManualTimeSource();
    private final ObservationRegistry registry = ObservationRegistry.create();
    private final Recorder recorder = new Recorder();
    private final CircuitBreaker payments = CircuitBreaker.of("payments",
            BreakerConfig.builder().windowSize(10).minimumCalls(10).build(), time);
    private final CircuitBreaker backup = CircuitBreaker.of("backup", BreakerConfig.defaults(), time);
    private final CircuitBreaker east = CircuitBreaker.of("east", BreakerConfig.defaults(), time);
    private final CircuitBreaker west = CircuitBreaker.of("west", BreakerConfig.defaults(), time);
    private final CircuitBreaker regions = CircuitBreaker.of("regions", BreakerConfig.defaults(), time);
    private final PaymentClient target = new PaymentClient();
    private ResilienceObservationConvention convention;

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
        assertThat(operation.getName()).isEqualTo("resilience.guarded.call");
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
    void anAsynchronousOperationGetsARetryEventPerRetryThoughItsRetriesRunFromTheScheduler() {
        // given an asynchronous method whose first two attempts fail
        PaymentClient client = proxy();
        target.laterFailures.set(2);

        // when it is called, then its retries run as the clock moves, outside the caller's scope
        CompletionStage<String> stage = client.chargeLaterWithRetries();
        assertThat(recorder.stopped).isEmpty();
        time.advance(Duration.ofSeconds(1));

        // then its one observation holds both retries, and the guard's verdict
        assertThat(stage.toCompletableFuture()).isCompletedWithValue("charged later");
        assertThat(recorder.events).containsExactly(
                "retry: attempt 1 failed (failure, java.io.IOException); attempt 2 in 100.0 ms",
                "retry: attempt 2 failed (failure, java.io.IOException); attempt 3 in 200.0 ms");
        Observation.Context operation = recorder.stopped.get(0);
        assertThat(operation.getContextualName()).isEqualTo("PaymentClient.chargeLaterWithRetries");
        assertThat(operation.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("success");
        assertThat(operation.getHighCardinalityKeyValue("attempts").getValue()).isEqualTo("3");
        assertThat(target.laterCalls).hasValue(3);
    }

    @Test
    void anOperationThatStartsWithoutItsObservationIsNotHeard() throws Exception {
        // given
        ObservationGuardListeners listeners = new ObservationGuardListeners(() -> registry);
        GuardListener charge = listeners.create(new GuardedMethod("PaymentClient.charge", "payments",
                PaymentClient.class.getMethod("charge"), PaymentClient.class));

        // when no observation is current, or another method's
        GuardListener unobserved = charge.onOperationStart();
        Observation other = Observation.start("some.other", registry);
        GuardListener underAnotherObservation;
        try (Observation.Scope scope = other.openScope()) {
            underAnotherObservation = charge.onOperationStart();
        } finally {
            other.stop();
        }

        // then
        assertThat(unobserved).isSameAs(GuardListener.NONE);
        assertThat(underAnotherObservation).isSameAs(GuardListener.NONE);
    }

    @Test
    void aNoopRegistryCallsStraightThrough() throws Exception {
        // given
        target.failures.set(0);
        PaymentClient client = proxy(target, ObservationRegistry.NOOP);

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
        // given
        PaymentClient client = proxy();

        // when
        client.chargeElsewhere();

        // then
        assertThat(recorder.stopped).singleElement().satisfies(operation -> assertThat(
                operation.getLowCardinalityKeyValues()).contains(
                        KeyValue.of("method", "PaymentClient.chargeElsewhere"), KeyValue.of("breaker", "backup")));
    }

    @Test
    void anInheritedMethodIsTaggedWithEachSubclassAndTheBreakerOfTheClassThatDeclaresIt() {
        // given
        RegionClient east = proxy(new EastClient(), registry);
        RegionClient west = proxy(new WestClient(), registry);

        // when
        east.call();
        west.call();

        // then
        assertThat(recorder.stopped).extracting(OperationObservationTests::tags).containsExactly(
                "EastClient.call @ regions", "WestClient.call @ regions");
    }

    @Test
    void aMethodTheStarterDoesNotGuardIsNotObserved() {
        // given
        Unguarded unguarded = proxy(new Unguarded(), registry);

        // when
        unguarded.ping();

        // then
        assertThat(recorder.started).isEmpty();
    }

    private static String tags(Observation.Context operation) {
        return operation.getLowCardinalityKeyValue("method").getValue() + " @ "
                + operation.getLowCardinalityKeyValue("breaker").getValue();
    }

    private PaymentClient proxy() {
        return proxy(target, registry);
    }

    /**
     * The target behind the observation advisor and the starter's own, as the auto-configurations order them, with
     * the starter's real guards: no jitter, so that the waits are exact.
     */
    @SuppressWarnings("unchecked")
    private <T> T proxy(T target, ObservationRegistry observations) {
        Map<String, CircuitBreaker> breakers = Map.of("payments", payments, "backup", backup, "east", east, "west",
                west, "regions", regions);
        MethodGuards guards = new MethodGuards((name, method) -> breakers.get(name),
                new RetryDefaults(Duration.ofMillis(100), Duration.ofSeconds(5), 2.0, 0.0, List.of()), time,
                () -> List.of(new ObservationGuardListeners(() -> observations)));
        ResilienceAdvisor starter = new ResilienceAdvisor(() -> guards);
        ProxyFactory factory = new ProxyFactory(target);
        factory.setProxyTargetClass(true);
        OperationObservations made = new OperationObservations(() -> observations, convention);
        factory.addAdvisor(ResilienceObservationAutoConfiguration.observationAdvisor(starter, () -> made,
                () -> guards));
        factory.addAdvisor(starter);
        return (T) factory.getProxy();
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

        final AtomicInteger laterFailures = new AtomicInteger();
        final AtomicInteger laterCalls = new AtomicInteger();

        @Retry(maxAttempts = 3, idempotent = true)
        public CompletionStage<String> chargeLaterWithRetries() {
            laterCalls.incrementAndGet();
            return laterFailures.getAndDecrement() > 0
                    ? CompletableFuture.failedFuture(new IOException("refused"))
                    : CompletableFuture.completedFuture("charged later");
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

    /** Declares the method its subclasses inherit; their own annotations apply only to what they declare. */
    @Breaker("regions")
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
            if (context.getName().equals("resilience.guarded.call")) {
                events.add(event.getName() + ": " + event.getContextualName());
            }
        }

        @Override
        public void onStop(Observation.Context context) {
            if (context.getName().equals("resilience.guarded.call")) {
                stopped.add(context);
            }
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }
    }
}
