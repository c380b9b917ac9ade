package dev.resilience.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.resilience.GuardListener;
import dev.resilience.Outcome;
import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import dev.resilience.spring.boot.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.test.ManualTimeSource;
import jakarta.validation.ConstraintViolationException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.validation.method.MethodValidationException;
import org.springframework.validation.method.MethodValidationResult;

/** A refusal by method validation is the caller's mistake: never retried, never counted by the breaker. */
class MethodValidationRefusalTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class))
            .withPropertyValues("resilience.breaker.instances.payments.window-size=10",
                    "resilience.breaker.instances.payments.minimum-calls=10")
            .withBean(ManualTimeSource.class)
            .withBean(Outcomes.class)
            .withBean(PaymentClient.class);

    static Stream<RuntimeException> refusals() {
        return Stream.of(new MethodValidationException(MethodValidationResult.emptyResult()),
                new ConstraintViolationException("charge.amount: must be greater than 0", Set.of()),
                new IllegalStateException("wrapped", new ConstraintViolationException("amount", Set.of())));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void aMethodValidationRefusalIsNeitherRetriedNorCounted(RuntimeException refusal) {
        runner.run(context -> {
            // given
            PaymentClient client = context.getBean(PaymentClient.class);
            client.refuseWith(refusal);

            // when
            Throwable thrown = catchThrowable(() -> client.charge(-1));

            // then
            assertThat(thrown).isSameAs(refusal);
            assertThat(client.calls()).isEqualTo(1);
            assertThat(context.getBean(BreakerRegistry.class).breaker("payments").snapshot().bufferedCalls())
                    .isZero();
            assertThat(context.getBean(Outcomes.class).seen).containsExactly("attempt:ignored", "operation:failure");
        });
    }

    static class PaymentClient {

        private final AtomicInteger calls = new AtomicInteger();
        private volatile RuntimeException refusal;

        @Retry(maxAttempts = 3, idempotent = true)
        @Breaker("payments")
        public String charge(int amount) {
            calls.incrementAndGet();
            throw refusal;
        }

        void refuseWith(RuntimeException value) {
            refusal = value;
        }

        int calls() {
            return calls.get();
        }
    }

    static final class Outcomes implements GuardListenerFactory {

        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public GuardListener create(GuardedMethod method) {
            return new GuardListener() {
                @Override
                public void onAttempt(int attempt, Outcome outcome, long nanos, Throwable failure) {
                    seen.add("attempt:" + outcome.tag());
                }

                @Override
                public void onOperation(Outcome outcome, int attempts, boolean retried, long nanos,
                        Throwable failure) {
                    seen.add("operation:" + outcome.tag());
                }
            };
        }
    }
}
