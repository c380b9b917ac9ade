package dev.resilience.spring.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import dev.resilience.spring.aop.InvalidGuardedMethodException;
import dev.resilience.spring.boot.autoconfigure.ResilienceAutoConfiguration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.core.ReactiveTypeDescriptor;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What a guarded method may return: Mono and Flux are guarded; every other asynchronous type fails startup naming
 * the method, whether Spring's {@code ReactiveAdapterRegistry} knows it (as it knows RxJava's and Mutiny's) or it is
 * a {@code Future}.
 */
class ReactiveReturnTypeStartupTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class))
            .withPropertyValues("resilience.breaker.require-declared=false");

    @Test
    void monoAndFluxMethodsStart() {
        runner.withBean(Guarded.class).run(context -> {
            assertThat(context).hasNotFailed();
            Guarded bean = context.getBean(Guarded.class);
            assertThat(bean.mono().block()).isEqualTo("one");
            assertThat(bean.flux().collectList().block()).containsExactly("a", "b");
        });
    }

    @Test
    void aPlainPublisherFailsStartupNamingTheMethod() {
        runner.withBean(PlainPublisher.class).run(context -> {
            InvalidGuardedMethodException failure = failure(context);
            assertThat(failure).hasMessage("@Breaker on PlainPublisher.call cannot guard its return type"
                    + " org.reactivestreams.Publisher: of the reactive types, only Reactor's Mono and Flux (and"
                    + " Kotlin's suspend functions and Flow) are recorded per subscription, and any other would be"
                    + " recorded when it is returned.");
            assertThat(failure.action()).isEqualTo("Declare PlainPublisher.call to return Mono<T> or Flux<T>"
                    + " (convert with Mono.from or Flux.from, or Spring's ReactiveAdapterRegistry), or remove the"
                    + " annotation from it.");
        });
    }

    @Test
    void aMonoSubclassFailsStartup() {
        runner.withBean(MonoSubclass.class).run(context -> assertThat(failure(context))
                .hasMessageStartingWith("@Retry on MonoSubclass.call cannot guard its return type "
                        + Later.class.getName() + ": of the reactive types"));
    }

    @Test
    void aJdkFlowPublisherFailsStartup() {
        runner.withBean(JdkFlow.class).run(context -> assertThat(failure(context))
                .hasMessageStartingWith("@Breaker on JdkFlow.call cannot guard its return type"
                        + " java.util.concurrent.Flow$Publisher"));
    }

    @Test
    void aTypeThatSpringsReactiveAdapterRegistryAdaptsFailsStartup() {
        // given a type registered the way Spring registers RxJava's and Mutiny's
        ReactiveAdapterRegistry.getSharedInstance().registerReactiveType(
                ReactiveTypeDescriptor.singleOptionalValue(Single.class, Single::new),
                source -> Mono.empty(), publisher -> new Single());

        runner.withBean(ThirdParty.class).run(context -> assertThat(failure(context))
                .hasMessageStartingWith("@Breaker on ThirdParty.call cannot guard its return type "
                        + Single.class.getName()));
    }

    @Test
    void aFutureStillFailsStartupAsBefore() {
        runner.withBean(PlainFuture.class).run(context -> assertThat(failure(context))
                .hasMessageStartingWith("@Breaker on PlainFuture.call cannot guard its return type"
                        + " java.util.concurrent.Future: only CompletionStage and CompletableFuture"));
    }

    @Test
    void aCompletableFutureSubclassFailsStartup() {
        runner.withBean(FutureSubclass.class).run(context -> assertThat(failure(context))
                .hasMessageStartingWith("@Breaker on FutureSubclass.call cannot guard its return type "
                        + MyFuture.class.getName()));
    }

    private static InvalidGuardedMethodException failure(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        Throwable cause = context.getStartupFailure();
        while (cause != null && !(cause instanceof InvalidGuardedMethodException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("the startup failure's cause chain").isNotNull();
        return (InvalidGuardedMethodException) cause;
    }

    @Breaker("catalog")
    public static class Guarded {
        public Mono<String> mono() {
            return Mono.just("one");
        }

        public Flux<String> flux() {
            return Flux.just("a", "b");
        }
    }

    public static class PlainPublisher {
        @Breaker("catalog")
        public Publisher<String> call() {
            return Mono.just("x");
        }
    }

    public static class MonoSubclass {
        @Retry
        public Later call() {
            return new Later();
        }
    }

    public static class JdkFlow {
        @Breaker("catalog")
        public java.util.concurrent.Flow.Publisher<String> call() {
            return subscriber -> { };
        }
    }

    public static class ThirdParty {
        @Breaker("catalog")
        public Single call() {
            return new Single();
        }
    }

    public static class PlainFuture {
        @Breaker("catalog")
        public Future<String> call() {
            return CompletableFuture.completedFuture("x");
        }
    }

    public static class FutureSubclass {
        @Breaker("catalog")
        public MyFuture call() {
            return new MyFuture();
        }
    }

    /** A Mono of the application's own. */
    public static final class Later extends Mono<String> {
        @Override
        public void subscribe(CoreSubscriber<? super String> actual) {
            Mono.just("later").subscribe(actual);
        }
    }

    /** Stands for a third party's asynchronous type, like RxJava's {@code Single}. */
    public static final class Single {
    }

    public static final class MyFuture extends CompletableFuture<String> {
    }
}
