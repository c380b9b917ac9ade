package dev.resilience.spring.boot.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * The observation of a guarded method that returns a {@code Mono}, a {@code Flux} or a Kotlin {@code Flow}: one per
 * subscription, since each subscription is one operation. It starts when the subscriber subscribes, the child of the
 * observation in the subscriber's Reactor {@code Context} (or, without one, of the thread's current one); it is current
 * on the subscribing thread while the guard starts (so that the guard's listener binds the operation to it) and in
 * the {@code Context} every attempt sees (so that a {@code WebClient} exchange of any attempt is its child); it stops
 * when the subscriber gets its terminal signal or cancels. Used only where Reactor is on the classpath.
 */
final class ObservedPublishers {

    private static final String MONO = "reactor.core.publisher.Mono";
    private static final String FLUX = "reactor.core.publisher.Flux";
    private static final String FLOW = "kotlinx.coroutines.flow.Flow";
    /** {@code ObservationThreadLocalAccessor.KEY}: where Reactor's and Spring's code look for the current observation. */
    static final String KEY = "micrometer.observation";

    private ObservedPublishers() {
    }

    /** Whether a method of this return type is observed per subscription; a suspend function is, as a publisher. */
    static boolean isReactive(Class<?> returnType) {
        String name = returnType.getName();
        return name.equals(MONO) || name.equals(FLUX) || name.equals(FLOW);
    }

    /**
     * What the caller gets: the guarded result, observed per subscription; anything else unchanged.
     *
     * @param result what the guard returned
     */
    @SuppressWarnings({ "unchecked", "rawtypes" })
    static Object observe(Object result, OperationObservations observations,
            OperationObservationInterceptor.Tags tags) {
        if (result instanceof Mono<?> mono) {
            return new ObservedMono<>(mono, observations, tags);
        }
        if (result instanceof Flux<?> flux) {
            return new ObservedFlux<>(flux, observations, tags);
        }
        ReactiveAdapter adapter = result == null ? null
                : ReactiveAdapterRegistry.getSharedInstance().getAdapter(result.getClass());
        if (adapter != null && adapter.getReactiveType().getName().equals(FLOW)) {
            return adapter.fromPublisher(new ObservedFlux<>(Flux.from((Publisher) adapter.toPublisher(result)),
                    observations, tags));
        }
        return result;
    }

    /** Starts the observation of one subscription and subscribes to the source inside its scope. */
    static <T> void subscribe(Publisher<T> source, CoreSubscriber<? super T> actual,
            OperationObservations observations, OperationObservationInterceptor.Tags tags) {
        ObservationRegistry registry = observations.registry();
        Observation parent = actual.currentContext().getOrDefault(KEY, null);
        if (parent == null) {
            parent = registry.getCurrentObservation();
        }
        OperationContext context = tags.newContext();
        Observation observation = observations.create(context, registry)
                .parentObservation(parent)
                .start();
        ObservedSubscriber<T> subscriber = new ObservedSubscriber<>(actual, observation, context);
        try (Observation.Scope scope = observation.openScope()) {
            source.subscribe(subscriber);
        }
    }

    private static final class ObservedMono<T> extends Mono<T> {

        private final Mono<T> source;
        private final OperationObservations observations;
        private final OperationObservationInterceptor.Tags tags;

        ObservedMono(Mono<T> source, OperationObservations observations,
                OperationObservationInterceptor.Tags tags) {
            this.source = source;
            this.observations = observations;
            this.tags = tags;
        }

        @Override
        public void subscribe(CoreSubscriber<? super T> actual) {
            ObservedPublishers.subscribe(source, actual, observations, tags);
        }
    }

    private static final class ObservedFlux<T> extends Flux<T> {

        private final Flux<T> source;
        private final OperationObservations observations;
        private final OperationObservationInterceptor.Tags tags;

        ObservedFlux(Flux<T> source, OperationObservations observations,
                OperationObservationInterceptor.Tags tags) {
            this.source = source;
            this.observations = observations;
            this.tags = tags;
        }

        @Override
        public void subscribe(CoreSubscriber<? super T> actual) {
            ObservedPublishers.subscribe(source, actual, observations, tags);
        }
    }

    /** Passes every signal on, and stops the observation once: at the terminal signal or the cancellation. */
    private static final class ObservedSubscriber<T> implements CoreSubscriber<T>, Subscription {

        @SuppressWarnings("rawtypes")
        private static final AtomicIntegerFieldUpdater<ObservedSubscriber> STOPPED =
                AtomicIntegerFieldUpdater.newUpdater(ObservedSubscriber.class, "stopped");

        private final CoreSubscriber<? super T> actual;
        private final Observation observation;
        private final OperationContext context;
        private final Context subscriberContext;
        private Subscription upstream;
        private volatile int stopped;

        ObservedSubscriber(CoreSubscriber<? super T> actual, Observation observation, OperationContext context) {
            this.actual = actual;
            this.observation = observation;
            this.context = context;
            this.subscriberContext = actual.currentContext().put(KEY, observation);
        }

        @Override
        public Context currentContext() {
            return subscriberContext;
        }

        @Override
        public void onSubscribe(Subscription subscription) {
            upstream = subscription;
            actual.onSubscribe(this);
        }

        @Override
        public void onNext(T value) {
            actual.onNext(value);
        }

        @Override
        public void onError(Throwable failure) {
            stop(failure, null);
            actual.onError(failure);
        }

        @Override
        public void onComplete() {
            stop(null, null);
            actual.onComplete();
        }

        @Override
        public void request(long n) {
            upstream.request(n);
        }

        /** The guard hears the cancellation first, so its verdict (cancelled, or a committed Flux's success) holds. */
        @Override
        public void cancel() {
            upstream.cancel();
            stop(null, "cancelled");
        }

        private void stop(Throwable failure, String outcome) {
            if (STOPPED.compareAndSet(this, 0, 1)) {
                if (outcome != null && context.outcome() == null) {
                    context.outcome(outcome);
                }
                OperationObservations.stop(observation, context, failure);
            }
        }
    }
}
