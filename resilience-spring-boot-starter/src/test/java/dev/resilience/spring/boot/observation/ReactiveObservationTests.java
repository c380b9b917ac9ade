package dev.resilience.spring.boot.observation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.BreakerConfig;
import dev.resilience.CircuitBreaker;
import dev.resilience.RetryDefaults;
import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import dev.resilience.spring.aop.MethodGuards;
import dev.resilience.spring.aop.ResilienceAdvisor;
import dev.resilience.test.ManualTimeSource;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.ProxyFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The observation of a reactive method spans each subscription, not the call that assembled the publisher: one
 * {@code resilience.guarded.call} per subscription, with the guard's outcome and retry events, current in the Reactor
 * {@code Context} that every attempt sees.
 */
class ReactiveObservationTests {

    private final ManualTimeSource time = new ManualTimeSource();
    private final ObservationRegistry registry = ObservationRegistry.create();
    private final List<Observation.Context> started = new CopyOnWriteArrayList<>();
    private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final CircuitBreaker tracking = CircuitBreaker.of("tracking", BreakerConfig.defaults(), time);
    private final TrackingClient target = new TrackingClient();
    private final TrackingClient client;

    ReactiveObservationTests() {
        registry.observationConfig().observationHandler(new Recorder());
        client = proxy(target);
    }

    @Test
    void aReactiveMethodIsObservedPerSubscriptionNotAtTheCall() {
        // given
        Mono<String> parcel = client.track();

        // then nothing is observed at the call
        assertThat(started).isEmpty();

        // when
        StepVerifier.create(parcel).expectNext("on its way").verifyComplete();
        StepVerifier.create(parcel).expectNext("on its way").verifyComplete();

        // then
        assertThat(stopped).hasSize(2).allSatisfy(operation -> {
            assertThat(operation.getContextualName()).isEqualTo("TrackingClient.track");
            assertThat(operation.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("success");
            assertThat(operation.getHighCardinalityKeyValue("attempts").getValue()).isEqualTo("1");
        });
    }

    @Test
    void theObservationStopsWhenTheLastAttemptEndsWithTheGuardsVerdictAndItsRetries() {
        // given
        target.failures.set(2);

        // when
        StepVerifier.create(client.track())
                .then(() -> assertThat(stopped).isEmpty())
                .then(() -> time.advance(Duration.ofMillis(300)))
                .expectNext("on its way")
                .verifyComplete();

        // then
        Observation.Context operation = stopped.get(0);
        assertThat(operation.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("success");
        assertThat(operation.getHighCardinalityKeyValue("attempts").getValue()).isEqualTo("3");
        assertThat(events).containsExactly(
                "retry: attempt 1 failed (failure, java.io.IOException); attempt 2 in 100.0 ms",
                "retry: attempt 2 failed (failure, java.io.IOException); attempt 3 in 200.0 ms");
    }

    @Test
    void aFailedOperationCarriesItsError() {
        // given
        target.failures.set(Integer.MAX_VALUE);

        // when
        StepVerifier.create(client.track()).then(() -> time.advance(Duration.ofSeconds(1)))
                .expectError(IOException.class).verify(Duration.ofSeconds(5));

        // then
        Observation.Context operation = stopped.get(0);
        assertThat(operation.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("failure");
        assertThat(operation.getError()).isInstanceOf(IOException.class);
    }

    @Test
    void everyAttemptSeesTheOperationsObservationInItsContextAsAChildOfTheSubscribers() {
        // given a subscriber inside an observation of its own, and two failures
        target.failures.set(2);
        Observation request = Observation.start("http.server.requests", registry);

        // when
        StepVerifier.create(client.track().contextWrite(context -> context.put(ObservedPublishers.KEY, request)))
                .then(() -> time.advance(Duration.ofMillis(300)))
                .expectNext("on its way")
                .verifyComplete();

        // then
        Observation.Context operation = stopped.get(0);
        assertThat(operation.getParentObservation().getContextView()).isSameAs(request.getContext());
        assertThat(target.seen).hasSize(3).allSatisfy(seen -> assertThat(seen.getContext()).isSameAs(operation));
    }

    @Test
    void aCancelledSubscriptionIsACancelledOperation() {
        // given
        target.never = true;

        // when
        StepVerifier.create(client.track()).thenAwait().thenCancel().verify(Duration.ofSeconds(5));

        // then
        assertThat(stopped).singleElement().satisfies(operation ->
                assertThat(operation.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("cancelled"));
    }

    @Test
    void aFluxTakenAfterItsFirstElementIsASuccessfulOperation() {
        // when
        StepVerifier.create(client.updates().take(1)).expectNext("picked up").verifyComplete();

        // then
        assertThat(stopped).singleElement().satisfies(operation ->
                assertThat(operation.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("success"));
    }

    @SuppressWarnings("unchecked")
    private <T> T proxy(T bean) {
        MethodGuards guards = new MethodGuards((name, method) -> tracking,
                new RetryDefaults(Duration.ofMillis(100), Duration.ofSeconds(5), 2.0, 0.0, List.of()), time,
                () -> List.of(new ObservationGuardListeners(() -> registry)));
        ResilienceAdvisor starter = new ResilienceAdvisor(() -> guards);
        ProxyFactory factory = new ProxyFactory(bean);
        factory.setProxyTargetClass(true);
        OperationObservations made = new OperationObservations(() -> registry, null);
        factory.addAdvisor(ResilienceObservationAutoConfiguration.observationAdvisor(starter, () -> made,
                () -> guards));
        factory.addAdvisor(starter);
        return (T) factory.getProxy();
    }

    @Breaker("tracking")
    public static class TrackingClient {

        final AtomicInteger failures = new AtomicInteger();
        final List<Observation> seen = new CopyOnWriteArrayList<>();
        volatile boolean never;

        @Retry(maxAttempts = 3, idempotent = true)
        public Mono<String> track() {
            return Mono.deferContextual(context -> {
                seen.add(context.get(ObservedPublishers.KEY));
                if (never) {
                    return Mono.never();
                }
                return failures.getAndDecrement() > 0 ? Mono.error(new IOException("down")) : Mono.just("on its way");
            });
        }

        public Flux<String> updates() {
            return Flux.just("picked up", "sorted", "delivered");
        }
    }

    private final class Recorder implements ObservationHandler<Observation.Context> {

        @Override
        public void onStart(Observation.Context context) {
            if (context.getName().equals("resilience.guarded.call")) {
                started.add(context);
            }
        }

        @Override
        public void onEvent(Observation.Event event, Observation.Context context) {
            events.add(event.getName() + ": " + event.getContextualName());
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
