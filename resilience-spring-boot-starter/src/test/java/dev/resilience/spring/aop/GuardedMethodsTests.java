package dev.resilience.spring.aop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.BreakerConfig;
import dev.resilience.CircuitBreaker;
import dev.resilience.GuardListener;
import dev.resilience.RetryDefaults;
import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import dev.resilience.spring.GuardedMethod;
import dev.resilience.spring.GuardedMethods;
import dev.resilience.test.ManualTimeSource;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.aop.Pointcut;

/** The starter's one rule of which methods are guarded and how they are named, as others look it up. */
class GuardedMethodsTests {

    private final ManualTimeSource time = new ManualTimeSource();
    private final Map<String, CircuitBreaker> breakers = Map.of(
            "payments", CircuitBreaker.of("payments", BreakerConfig.defaults(), time),
            "backup", CircuitBreaker.of("backup", BreakerConfig.defaults(), time),
            "east", CircuitBreaker.of("east", BreakerConfig.defaults(), time),
            "west", CircuitBreaker.of("west", BreakerConfig.defaults(), time),
            "regions", CircuitBreaker.of("regions", BreakerConfig.defaults(), time));
    private final List<GuardedMethod> seenByListenerFactories = new CopyOnWriteArrayList<>();
    private final MethodGuards guards = new MethodGuards((name, method) -> breakers.get(name),
            RetryDefaults.standard(), time, () -> List.of(method -> {
                seenByListenerFactories.add(method);
                return GuardListener.NONE;
            }));
    private final GuardedMethods guardedMethods = guards;

    @Test
    void aMethodIsNamedAfterItsClassAndItsOwnBreakerWinsOverItsClasss() {
        assertThat(guardedMethods.find(method(PaymentClient.class, "charge"), PaymentClient.class))
                .get().extracting(GuardedMethod::methodTag, GuardedMethod::breakerTag)
                .containsExactly("PaymentClient.charge", "payments");
        assertThat(guardedMethods.find(method(PaymentClient.class, "chargeElsewhere"), PaymentClient.class))
                .get().extracting(GuardedMethod::methodTag, GuardedMethod::breakerTag)
                .containsExactly("PaymentClient.chargeElsewhere", "backup");
    }

    @Test
    void aMethodWithARetryAndNoBreakerIsTaggedNone() {
        assertThat(guardedMethods.find(method(MailClient.class, "send"), MailClient.class))
                .get().extracting(GuardedMethod::methodTag, GuardedMethod::breakerTag)
                .containsExactly("MailClient.send", GuardedMethod.NO_BREAKER);
    }

    @Test
    void anInheritedMethodIsNamedAfterEachSubclassWithTheBreakerOfTheClassThatDeclaresIt() {
        Method call = method(RegionClient.class, "call");

        assertThat(guardedMethods.find(call, EastClient.class)).get()
                .extracting(GuardedMethod::methodTag, GuardedMethod::breakerTag, GuardedMethod::targetClass)
                .containsExactly("EastClient.call", "regions", EastClient.class);
        assertThat(guardedMethods.find(call, WestClient.class)).get()
                .extracting(GuardedMethod::methodTag, GuardedMethod::breakerTag, GuardedMethod::targetClass)
                .containsExactly("WestClient.call", "regions", WestClient.class);
        assertThat(guardedMethods.find(call, RegionClient.class)).get()
                .extracting(GuardedMethod::methodTag).isEqualTo("RegionClient.call");
    }

    @Test
    void methodsWithoutAnnotationsAndMethodsOfObjectAreNotGuarded() throws NoSuchMethodException {
        assertThat(guardedMethods.find(method(Unguarded.class, "ping"), Unguarded.class)).isEmpty();
        assertThat(guardedMethods.find(Object.class.getMethod("toString"), PaymentClient.class)).isEmpty();
    }

    @Test
    void theClasssAnnotationLeavesEqualsHashCodeAndToStringAlone() throws NoSuchMethodException {
        assertThat(guardedMethods.find(Described.class.getMethod("toString"), Described.class)).isEmpty();
        assertThat(guardedMethods.find(Described.class.getMethod("hashCode"), Described.class)).isEmpty();
        assertThat(guardedMethods.find(Described.class.getMethod("equals", Object.class), Described.class)).isEmpty();
        assertThat(guardedMethods.find(Described.class.getMethod("describe"), Described.class)).isPresent();
    }

    @Test
    void aMethodsOwnAnnotationGuardsEvenToString() throws NoSuchMethodException {
        assertThat(guardedMethods.find(MailClient.class.getMethod("toString"), MailClient.class)).get()
                .extracting(GuardedMethod::methodTag).isEqualTo("MailClient.toString");
    }

    @Test
    void aMethodIsResolvedOnceAndLookupsGiveWhatTheListenerFactoriesSaw() {
        // given
        Method charge = method(PaymentClient.class, "charge");

        // when
        Optional<GuardedMethod> first = guardedMethods.find(charge, PaymentClient.class);
        Optional<GuardedMethod> second = guardedMethods.find(charge, PaymentClient.class);

        // then
        assertThat(second).isSameAs(first);
        assertThat(seenByListenerFactories).singleElement().isSameAs(first.orElseThrow());
    }

    @Test
    void theStartersPointcutMatchesExactlyTheMethodsItFinds() {
        Pointcut pointcut = new ResilienceAdvisor(() -> guards).getPointcut();
        for (Class<?> type : List.of(PaymentClient.class, MailClient.class, EastClient.class, WestClient.class,
                RegionClient.class, Unguarded.class, Described.class)) {
            for (Method method : type.getMethods()) {
                boolean matched = pointcut.getClassFilter().matches(type)
                        && pointcut.getMethodMatcher().matches(method, type);
                assertThat(matched).as("%s on %s", method, type.getSimpleName())
                        .isEqualTo(guardedMethods.find(method, type).isPresent());
            }
        }
    }

    private static Method method(Class<?> type, String name) {
        try {
            return type.getMethod(name);
        } catch (NoSuchMethodException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Breaker("payments")
    public static class PaymentClient {

        @Retry(maxAttempts = 3, idempotent = true)
        public String charge() {
            return "charged";
        }

        @Breaker("backup")
        public String chargeElsewhere() {
            return "charged";
        }
    }

    public static class MailClient {

        @Retry
        public void send() {
        }

        public void unguarded() {
        }

        @Override
        @Breaker("payments")
        public String toString() {
            return "MailClient";
        }
    }

    /** A class-level breaker, and the methods of Object overridden. */
    @Breaker("payments")
    public static class Described {

        public String describe() {
            return "described";
        }

        @Override
        public boolean equals(Object other) {
            return other == this;
        }

        @Override
        public int hashCode() {
            return 1;
        }

        @Override
        public String toString() {
            return "Described";
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

    public static class Unguarded {

        public void ping() {
        }
    }
}
