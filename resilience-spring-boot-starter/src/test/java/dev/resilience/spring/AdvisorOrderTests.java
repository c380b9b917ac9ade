package dev.resilience.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.resilience.GuardListener;
import dev.resilience.Outcome;
import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import dev.resilience.spring.aop.ResilienceAdvisor;
import dev.resilience.spring.boot.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.test.ManualTimeSource;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.Ordered;

/**
 * The guard's place among Spring's other advisors: inside method security, here a stand-in advisor ordered like
 * Spring Security's method interceptors (near {@link Ordered#HIGHEST_PRECEDENCE}) that refuses every call; the
 * transactions inside it are shown by {@code GuardedBeansTests.eachAttemptRunsInATransactionOfItsOwn}.
 */
class AdvisorOrderTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class))
            .withPropertyValues("resilience.breaker.instances.payments.window-size=10",
                    "resilience.breaker.instances.payments.minimum-calls=10")
            .withBean(ManualTimeSource.class)
            .withBean(Attempts.class)
            .withBean(SecuredClient.class);

    @BeforeEach
    void startClean() {
        SecuredClient.CALLS.set(0);
    }

    @Test
    void theGuardIsOrderedInsideMethodSecurityAndOutsideTransactions() {
        runner.run(context -> assertThat(context.getBean(ResilienceAdvisor.class).getOrder())
                .isEqualTo(Ordered.LOWEST_PRECEDENCE - 1000)
                .isGreaterThan(Security.ORDER)
                .isLessThan(Ordered.LOWEST_PRECEDENCE));
    }

    @Test
    void aCallThatMethodSecurityRefusesIsNeitherAnAttemptNorRetried() {
        Security security = new Security();
        runner.withBean("methodSecurityAdvisor", Advisor.class, security::advisor,
                        definition -> definition.setRole(BeanDefinition.ROLE_INFRASTRUCTURE))
                .run(context -> {
                    // when
                    Throwable thrown = catchThrowable(context.getBean(SecuredClient.class)::charge);

                    // then: refused once, before the guard: no attempt, no retry, nothing for the breaker
                    assertThat(thrown).isInstanceOf(AccessRefusedException.class);
                    assertThat(security.refusals.get()).isEqualTo(1);
                    assertThat(SecuredClient.CALLS.get()).isZero();
                    assertThat(context.getBean(BreakerRegistry.class).breaker("payments").snapshot()
                            .bufferedCalls()).isZero();
                    assertThat(context.getBean(Attempts.class).outcomes).isEmpty();
                });
    }

    @Test
    void aCallThatMethodSecurityAdmitsIsGuarded() {
        runner.run(context -> {
            // when, with no security advisor
            Throwable thrown = catchThrowable(context.getBean(SecuredClient.class)::charge);

            // then: the same bean is guarded, so the refusal above was not the guard's doing
            assertThat(thrown).isInstanceOf(IllegalStateException.class);
            assertThat(SecuredClient.CALLS.get()).isEqualTo(3);
            assertThat(context.getBean(Attempts.class).outcomes).containsExactly("failure", "failure", "failure");
        });
    }

    /** Marks the methods that the stand-in security refuses, like {@code @PreAuthorize("denyAll()")}. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @interface Refused {
    }

    static final class AccessRefusedException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        AccessRefusedException(String message) {
            super(message);
        }
    }

    /** Stands in for Spring Security's method security: an infrastructure advisor near the highest precedence. */
    static final class Security {

        static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 500;

        final AtomicInteger refusals = new AtomicInteger();

        Advisor advisor() {
            MethodInterceptor refuse = invocation -> {
                refusals.incrementAndGet();
                throw new AccessRefusedException("Access to " + invocation.getMethod().getName() + " is refused");
            };
            DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(
                    AnnotationMatchingPointcut.forMethodAnnotation(Refused.class), refuse);
            advisor.setOrder(ORDER);
            return advisor;
        }
    }

    static class SecuredClient {

        static final AtomicInteger CALLS = new AtomicInteger();

        @Refused
        @Retry(maxAttempts = 3, idempotent = true)
        @Breaker("payments")
        public String charge() {
            CALLS.incrementAndGet();
            throw new IllegalStateException("payments is down");
        }
    }

    static final class Attempts implements GuardListenerFactory {

        final List<String> outcomes = new CopyOnWriteArrayList<>();

        @Override
        public GuardListener create(GuardedMethod method) {
            return new GuardListener() {
                @Override
                public void onAttempt(int attempt, Outcome outcome, long nanos, Throwable failure) {
                    outcomes.add(outcome.tag());
                }
            };
        }
    }
}
