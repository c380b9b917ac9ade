package dev.resilience.spring.boot.autoconfigure;

import static dev.resilience.spring.boot.autoconfigure.StartupFailures.analysisOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.BreakerConfig;
import dev.resilience.CircuitBreaker;
import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import dev.resilience.spring.BreakerRegistry;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class StartupFailureTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class))
            .withPropertyValues("resilience.breaker.instances.payments.window-size=50",
                    "resilience.breaker.instances.search.window-size=50");

    // --- properties -----------------------------------------------------------------------------------------

    @Test
    void anOutOfRangeInstanceValueNamesTheFullPropertyTheValueAndTheRange() {
        runner.withPropertyValues("resilience.breaker.instances.payments.failure-rate-threshold=150").run(context -> {
            FailureAnalysis analysis = analysisOf(context);

            assertThat(analysis.getDescription()).isEqualTo("resilience.breaker.instances.payments.failure-rate-threshold"
                    + " must be a percentage between 1 and 100, but was 150.0. (A key that an instance does not set"
                    + " comes from resilience.breaker.defaults.)");
            assertThat(analysis.getAction()).isEqualTo("Set resilience.breaker.instances.payments.failure-rate-threshold"
                    + " to a value that is a percentage between 1 and 100.");
        });
    }

    @Test
    void anOutOfRangeDefaultNamesTheDefaultsProperty() {
        runner.withPropertyValues("resilience.breaker.defaults.half-open-probes=0").run(context -> {
            FailureAnalysis analysis = analysisOf(context);

            assertThat(analysis.getDescription()).isEqualTo(
                    "resilience.breaker.defaults.half-open-probes must be between 1 and 10000, but was 0.");
            assertThat(analysis.getAction()).isEqualTo(
                    "Set resilience.breaker.defaults.half-open-probes to a value that is between 1 and 10000.");
        });
    }

    @Test
    void minimumCallsAboveAnInstancesWindowSizeFailsNamingTheInstance() {
        runner.withPropertyValues("resilience.breaker.instances.search.window-size=10").run(context -> {
            FailureAnalysis analysis = analysisOf(context);

            assertThat(analysis.getDescription()).startsWith("resilience.breaker.instances.search.minimum-calls must be"
                    + " at most window-size (10) for a count window, or the breaker could never decide, but was 20.");
            assertThat(analysis.getAction()).isEqualTo("Set resilience.breaker.instances.search.minimum-calls to at"
                    + " most the window-size, or raise resilience.breaker.instances.search.window-size.");
        });
    }

    @Test
    void anOutOfRangeRetryDefaultNamesTheRetryProperty() {
        runner.withPropertyValues("resilience.retry.defaults.jitter=1.5").run(context -> {
            FailureAnalysis analysis = analysisOf(context);

            assertThat(analysis.getDescription())
                    .isEqualTo("resilience.retry.defaults.jitter must be between 0.0 and 1.0, but was 1.5.");
            assertThat(analysis.getAction())
                    .isEqualTo("Set resilience.retry.defaults.jitter to a value that is between 0.0 and 1.0.");
        });
    }

    @Test
    void aMisspelledKeyFailsWithTheClosestKnownKey() {
        runner.withPropertyValues("resilience.breaker.defaults.failure-rate-treshold=40").run(context -> {
            FailureAnalysis analysis = analysisOf(context);

            assertThat(analysis.getDescription()).startsWith("resilience.breaker.defaults.failure-rate-treshold = 40"
                    + " is not a property of the resilience starter");
            assertThat(analysis.getAction()).startsWith("Did you mean resilience.breaker.defaults.failure-rate-threshold?"
                    + " Fix or remove resilience.breaker.defaults.failure-rate-treshold; the keys under"
                    + " resilience.breaker.defaults are window-type, window-size, window-duration, minimum-calls,"
                    + " failure-rate-threshold, slow-call-duration, slow-call-rate-threshold, open-duration,"
                    + " half-open-probes, half-open-max-wait, record-exceptions, ignore-exceptions, out-of-service-when-open.");
        });
    }

    @Test
    void aMisspelledInstanceKeyFailsWithTheClosestKeyOfThatInstance() {
        runner.withPropertyValues("resilience.breaker.instances.payments.open-duraton=5s").run(context -> {
            FailureAnalysis analysis = analysisOf(context);

            assertThat(analysis.getDescription())
                    .startsWith("resilience.breaker.instances.payments.open-duraton = 5s is not a property");
            assertThat(analysis.getAction())
                    .startsWith("Did you mean resilience.breaker.instances.payments.open-duration?");
        });
    }

    @Test
    void aMisspelledSectionFailsToo() {
        runner.withPropertyValues("resilience.retry.default.delay=1s").run(context -> {
            FailureAnalysis analysis = analysisOf(context);

            assertThat(analysis.getDescription()).startsWith("resilience.retry.default.delay = 1s is not a property");
            assertThat(analysis.getAction()).startsWith("Did you mean resilience.retry.defaults.delay?");
        });
    }

    @Test
    void aKnownKeyLeftEmptyFailsAsEmptyNotAsUnknown() {
        // given what YAML gives for "open-duration:" with no value
        runner.withPropertyValues("resilience.breaker.defaults.open-duration=").run(context -> {
            FailureAnalysis analysis = analysisOf(context);

            assertThat(analysis.getDescription()).startsWith(
                    "resilience.breaker.defaults.open-duration must have a value, but was empty (from ");
            assertThat(analysis.getAction()).isEqualTo("Give resilience.breaker.defaults.open-duration a value, or"
                    + " remove the key to use the default.");
        });
    }

    @Test
    void anInstanceKeyLeftEmptyFailsSayingThatRemovingItInheritsTheDefaults() {
        runner.withPropertyValues("resilience.breaker.instances.payments.window-type=").run(context -> {
            FailureAnalysis analysis = analysisOf(context);

            assertThat(analysis.getDescription()).startsWith(
                    "resilience.breaker.instances.payments.window-type must have a value, but was empty");
            assertThat(analysis.getAction()).isEqualTo("Give resilience.breaker.instances.payments.window-type a"
                    + " value, or remove the key to use resilience.breaker.defaults.window-type.");
        });
    }

    @Test
    void anEmptyEntryOfAnExceptionListFailsNamingTheEntry() {
        runner.withPropertyValues("resilience.retry.never-sent-exceptions[0]=").run(context -> {
            FailureAnalysis analysis = analysisOf(context);

            assertThat(analysis.getDescription()).startsWith(
                    "resilience.retry.never-sent-exceptions[0] must have a value, but was empty");
            assertThat(analysis.getAction()).isEqualTo("Give resilience.retry.never-sent-exceptions[0] a value, or"
                    + " remove the key to use the default.");
        });
    }

    @Test
    void anUnknownExceptionClassFailsNamingThePropertyAndTheClass() {
        runner.withPropertyValues("resilience.breaker.defaults.record-exceptions=com.example.NoSuchException")
                .run(context -> {
                    FailureAnalysis analysis = analysisOf(context);

                    assertThat(analysis.getDescription()).startsWith("resilience.breaker.defaults.record-exceptions"
                            + " = com.example.NoSuchException is not a class on the classpath");
                    assertThat(analysis.getAction()).isEqualTo("Write the fully qualified name of an exception class"
                            + " that is on the classpath, such as java.io.IOException, in"
                            + " resilience.breaker.defaults.record-exceptions.");
                });
    }

    @Test
    void aClassThatIsNotAnExceptionFails() {
        runner.withPropertyValues("resilience.retry.never-sent-exceptions=java.lang.String").run(context -> {
            FailureAnalysis analysis = analysisOf(context);

            assertThat(analysis.getDescription()).isEqualTo("resilience.retry.never-sent-exceptions[0] must be an"
                    + " exception class, but was java.lang.String, which is not a Throwable.");
            assertThat(analysis.getAction()).isEqualTo("Replace java.lang.String in"
                    + " resilience.retry.never-sent-exceptions with the fully qualified name of an exception class,"
                    + " such as java.io.IOException.");
        });
    }

    @Test
    void anUnreadableDurationFailsWithTheAcceptedForms() {
        runner.withPropertyValues("resilience.breaker.instances.payments.open-duration=soon").run(context -> {
            FailureAnalysis analysis = analysisOf(context);

            assertThat(analysis.getDescription()).startsWith(
                    "resilience.breaker.instances.payments.open-duration = soon cannot be read as a duration");
            assertThat(analysis.getAction()).isEqualTo("Write resilience.breaker.instances.payments.open-duration as"
                    + " a duration such as 500ms, 30s or 5m (units ns, us, ms, s, m, h, d), or ISO-8601 such as PT30S.");
        });
    }

    @Test
    void anUnknownWindowTypeFailsWithTheAllowedValues() {
        runner.withPropertyValues("resilience.breaker.defaults.window-type=sliding").run(context -> {
            FailureAnalysis analysis = analysisOf(context);

            assertThat(analysis.getDescription()).startsWith(
                    "resilience.breaker.defaults.window-type = sliding cannot be read as a window type");
            assertThat(analysis.getAction()).isEqualTo("Write resilience.breaker.defaults.window-type as count or time.");
        });
    }

    // --- annotations ----------------------------------------------------------------------------------------

    @Test
    void anUndeclaredBreakerFailsWithTheClosestDeclaredName() {
        runner.withBean(Misspelled.class).run(context -> {
            FailureAnalysis analysis = analysisOf(context);

            assertThat(analysis.getDescription()).isEqualTo("Breaker 'paymnets' on Misspelled.charge is not declared:"
                    + " resilience.breaker.instances has no entry 'paymnets' (declared: [payments, search]), and"
                    + " resilience.breaker.require-declared is true.");
            assertThat(analysis.getAction()).isEqualTo("Did you mean 'payments'? Fix the name in @Breaker on"
                    + " Misspelled.charge, or declare the breaker under resilience.breaker.instances.paymnets, or set"
                    + " resilience.breaker.require-declared to false to run undeclared breakers on"
                    + " resilience.breaker.defaults.");
        });
    }

    @Test
    void anObjectMadeByAFactoryBeanIsCheckedToo() {
        runner.withBean("misspelled", MisspelledFactory.class).withBean(Checkout.class).run(context -> assertThat(analysisOf(context)
                .getDescription()).startsWith("Breaker 'paymnets' on Misspelled.charge is not declared"));
    }

    @Test
    void anUndeclaredBreakerWithNoCloseNameSuggestsNothing() {
        runner.withBean(Undeclared.class).run(context -> {
            FailureAnalysis analysis = analysisOf(context);

            assertThat(analysis.getDescription()).startsWith("Breaker 'shipping' on Undeclared.ship is not declared");
            assertThat(analysis.getAction()).startsWith("Fix the name in @Breaker on Undeclared.ship, or declare the"
                    + " breaker under resilience.breaker.instances.shipping");
        });
    }

    @Test
    void aNameMissingFromAUserRegistryFails() {
        runner.withBean(BreakerRegistry.class, EmptyRegistry::new).withBean(Undeclared.class).run(context -> {
            FailureAnalysis analysis = analysisOf(context);

            assertThat(analysis.getDescription()).startsWith("Breaker 'shipping' on Undeclared.ship is not in the"
                    + " application's BreakerRegistry bean");
            assertThat(analysis.getAction()).isEqualTo("Did you mean 'shopping'? Fix the name in @Breaker on Undeclared.ship, or add a breaker"
                    + " 'shipping' to the BreakerRegistry bean.");
        });
    }

    @Test
    void aBlankBreakerNameFailsNamingTheMethod() {
        runner.withBean(BlankName.class).run(context -> {
            FailureAnalysis analysis = analysisOf(context);

            assertThat(analysis.getDescription()).isEqualTo("@Breaker on BlankName.call has a blank name \" \", but a"
                    + " breaker's name must not be blank.");
            assertThat(analysis.getAction()).isEqualTo("Name the dependency that BlankName.call calls, such as"
                    + " @Breaker(\"payments\"), and declare it under resilience.breaker.instances.payments.");
        });
    }

    @Test
    void maxAttemptsBelowOneFailsNamingTheMethod() {
        runner.withBean(NoAttempts.class).run(context -> {
            FailureAnalysis analysis = analysisOf(context);

            assertThat(analysis.getDescription())
                    .isEqualTo("@Retry on NoAttempts.call has maxAttempts = 0, but maxAttempts must be at least 1.");
            assertThat(analysis.getAction()).isEqualTo("Set maxAttempts of @Retry on NoAttempts.call to 1 or more (it"
                    + " counts every attempt, the first included; 1 means no retry).");
        });
    }

    @Test
    void anUnreadableDurationInAnAnnotationFailsNamingTheMethod() {
        runner.withBean(BadDelay.class).run(context -> {
            FailureAnalysis analysis = analysisOf(context);

            assertThat(analysis.getDescription()).isEqualTo("@Retry on BadDelay.call has delay = \"fast\", but delay"
                    + " must be a duration such as \"200ms\", \"2s\" or \"PT0.5S\" (units ns, us, ms, s, m, h, d).");
            assertThat(analysis.getAction()).isEqualTo("Write delay of @Retry on BadDelay.call as a duration such as"
                    + " \"200ms\", \"2s\" or \"PT0.5S\" (units ns, us, ms, s, m, h, d), or leave it empty for the"
                    + " default.");
        });
    }

    @Test
    void aMaxDelayBelowTheDelayFailsNamingTheMethod() {
        runner.withBean(ShortMaxDelay.class).run(context -> {
            FailureAnalysis analysis = analysisOf(context);

            assertThat(analysis.getDescription()).isEqualTo("@Retry on ShortMaxDelay.call has maxDelay = 1s, but"
                    + " maxDelay must be at least delay (2s).");
            assertThat(analysis.getAction()).isEqualTo("Set maxDelay of @Retry on ShortMaxDelay.call to a value that"
                    + " is at least delay (2s), or leave it empty for the default.");
        });
    }

    @Test
    void anAnnotatedPrivateMethodFails() {
        runner.withBean(PrivateMethod.class).run(context -> {
            FailureAnalysis analysis = analysisOf(context);

            assertThat(analysis.getDescription()).isEqualTo("@Retry/@Breaker on PrivateMethod.call would have no"
                    + " effect: PrivateMethod.call is private, and Spring's proxies intercept only methods that are"
                    + " not private, static or final.");
            assertThat(analysis.getAction()).isEqualTo("Make PrivateMethod.call an instance method that is not"
                    + " private or final (public, to be called from other beans), or remove the annotation from it.");
        });
    }

    @Test
    void anAnnotatedFinalMethodFails() {
        runner.withBean(FinalMethod.class).run(context -> assertThat(analysisOf(context).getDescription())
                .startsWith("@Retry/@Breaker on FinalMethod.call would have no effect: FinalMethod.call is final"));
    }

    @Test
    void anAnnotatedStaticMethodFails() {
        runner.withBean(StaticMethod.class).run(context -> assertThat(analysisOf(context).getDescription())
                .startsWith("@Retry/@Breaker on StaticMethod.call would have no effect: StaticMethod.call is static"));
    }

    @Test
    void aPublicFinalMethodOfAnAnnotatedClassFails() {
        runner.withBean(AnnotatedClassWithFinalMethod.class).run(context -> assertThat(analysisOf(context)
                .getDescription()).startsWith("@Retry/@Breaker on class AnnotatedClassWithFinalMethod (for"
                        + " AnnotatedClassWithFinalMethod.call) would have no effect:"
                        + " AnnotatedClassWithFinalMethod.call is final"));
    }

    @Test
    void anAnnotatedFinalClassFails() {
        runner.withBean(FinalClass.class).run(context -> {
            FailureAnalysis analysis = analysisOf(context);

            assertThat(analysis.getDescription()).isEqualTo("@Retry/@Breaker on FinalClass.call would have no effect:"
                    + " class " + FinalClass.class.getName() + " is final, so Spring cannot proxy it.");
            assertThat(analysis.getAction()).isEqualTo("Remove final from class " + FinalClass.class.getName()
                    + ", or remove the annotation.");
        });
    }

    @Test
    void aFutureThatIsNotACompletionStageFails() {
        runner.withBean(PlainFuture.class).run(context -> {
            FailureAnalysis analysis = analysisOf(context);

            assertThat(analysis.getDescription()).isEqualTo("@Breaker on PlainFuture.call cannot guard its return type"
                    + " java.util.concurrent.Future: only CompletionStage and CompletableFuture are recorded when they"
                    + " complete, and any other asynchronous result would be recorded when it is returned.");
            assertThat(analysis.getAction()).isEqualTo("Declare PlainFuture.call to return CompletionStage<T> or"
                    + " CompletableFuture<T>, or a plain value.");
        });
    }

    @Test
    void aCompletableFutureSubclassFails() {
        runner.withBean(FutureSubclass.class).run(context -> assertThat(analysisOf(context).getDescription())
                .startsWith("@Breaker on FutureSubclass.call cannot guard its return type " + Later.class.getName()));
    }

    static class Misspelled {
        @Breaker("paymnets")
        public String charge() {
            return "ok";
        }
    }

    static class MisspelledFactory implements org.springframework.beans.factory.FactoryBean<Misspelled> {

        @Override
        public Misspelled getObject() {
            return new Misspelled();
        }

        @Override
        public Class<?> getObjectType() {
            return Misspelled.class;
        }
    }

    record Checkout(Misspelled client) {
    }

    static class Undeclared {
        @Breaker("shipping")
        public String ship() {
            return "ok";
        }
    }

    static class BlankName {
        @Breaker(" ")
        public String call() {
            return "ok";
        }
    }

    static class NoAttempts {
        @Retry(maxAttempts = 0)
        public String call() {
            return "ok";
        }
    }

    static class BadDelay {
        @Retry(delay = "fast")
        public String call() {
            return "ok";
        }
    }

    static class ShortMaxDelay {
        @Retry(delay = "2s", maxDelay = "1s")
        public String call() {
            return "ok";
        }
    }

    static class PrivateMethod {
        @Retry
        private String call() {
            return "ok";
        }

        public String open() {
            return call();
        }
    }

    static class FinalMethod {
        @Breaker("payments")
        public final String call() {
            return "ok";
        }
    }

    static class StaticMethod {
        @Retry
        public static String call() {
            return "ok";
        }
    }

    @Breaker("payments")
    static class AnnotatedClassWithFinalMethod {
        public final String call() {
            return "ok";
        }
    }

    static final class FinalClass {
        @Retry
        public String call() {
            return "ok";
        }
    }

    static class PlainFuture {
        @Breaker("payments")
        public Future<String> call() {
            return CompletableFuture.completedFuture("ok");
        }
    }

    static class Later extends CompletableFuture<String> {
    }

    static class FutureSubclass {
        @Breaker("payments")
        public Later call() {
            return new Later();
        }
    }

    static final class EmptyRegistry implements BreakerRegistry {

        private final CircuitBreaker only = CircuitBreaker.of("shopping", BreakerConfig.defaults());

        @Override
        public CircuitBreaker breaker(String name) {
            return find(name).orElseThrow(() -> new IllegalArgumentException(name));
        }

        @Override
        public Optional<CircuitBreaker> find(String name) {
            return only.name().equals(name) ? Optional.of(only) : Optional.empty();
        }

        @Override
        public Collection<CircuitBreaker> all() {
            return List.of(only);
        }
    }
}
