package dev.resilience.spring.boot.autoconfigure;

import static dev.resilience.spring.boot.autoconfigure.StartupFailures.analysisOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.resilience.BreakerOpenException;
import dev.resilience.annotation.Breaker;
import dev.resilience.spring.BreakerRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The annotations of beans that startup does not create are checked at startup too, without creating them. */
class UncreatedBeanStartupTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class))
            .withPropertyValues("resilience.breaker.instances.payments.window-size=50",
                    "resilience.breaker.instances.search.window-size=50");

    @BeforeEach
    void startClean() {
        LazyMisspelled.CREATED.set(0);
        LazyClient.CREATED.set(0);
        MisspelledFactory.CREATED.set(0);
    }

    @Test
    void aMisspelledBreakerOnALazyBeanFailsStartupNotItsFirstCall() {
        // regression: a lazy bean's misspelled breaker passed startup and failed at the first call
        runner.withBean(LazyMisspelled.class, LazyMisspelled::new, definition -> definition.setLazyInit(true)).run(context -> {
            FailureAnalysis analysis = analysisOf(context);

            assertThat(analysis.getDescription()).isEqualTo("Breaker 'paymnets' on LazyMisspelled.charge is not"
                    + " declared: resilience.breaker.instances has no entry 'paymnets' (declared: [payments, search]),"
                    + " and resilience.breaker.require-declared is true.");
            assertThat(analysis.getAction()).startsWith("Did you mean 'payments'? Fix the name in @Breaker on"
                    + " LazyMisspelled.charge");
            assertThat(LazyMisspelled.CREATED.get()).as("the lazy bean is not created").isZero();
        });
    }

    @Test
    void aMisspelledBreakerOnAPrototypeBeanFailsStartup() {
        runner.withBean(LazyMisspelled.class, LazyMisspelled::new,
                definition -> definition.setScope(BeanDefinition.SCOPE_PROTOTYPE)).run(context -> {
                    assertThat(analysisOf(context).getDescription())
                            .startsWith("Breaker 'paymnets' on LazyMisspelled.charge is not declared");
                    assertThat(LazyMisspelled.CREATED.get()).isZero();
                });
    }

    @Test
    void aLazyFactoryBeansObjectIsCheckedFromItsTypeWithoutInitialisingTheFactory() {
        runner.withBean("misspelled", MisspelledFactory.class, MisspelledFactory::new, definition -> definition.setLazyInit(true))
                .run(context -> {
                    assertThat(analysisOf(context).getDescription())
                            .startsWith("Breaker 'paymnets' on LazyMisspelled.charge is not declared");
                    assertThat(MisspelledFactory.CREATED.get()).isZero();
                    assertThat(LazyMisspelled.CREATED.get()).isZero();
                });
    }

    @Test
    void aLazyBeanWithSoundAnnotationsStartsUncreatedAndIsGuardedOnceCreated() {
        runner.withBean(LazyClient.class, LazyClient::new, definition -> definition.setLazyInit(true)).run(context -> {
            // given
            assertThat(context).hasNotFailed();
            assertThat(LazyClient.CREATED.get()).isZero();
            context.getBean(BreakerRegistry.class).breaker("payments").forceOpen();

            // when
            Throwable thrown = catchThrowable(context.getBean(LazyClient.class)::charge);

            // then
            assertThat(LazyClient.CREATED.get()).isEqualTo(1);
            assertThat(thrown).isInstanceOf(BreakerOpenException.class);
        });
    }

    static class LazyMisspelled {

        static final AtomicInteger CREATED = new AtomicInteger();

        LazyMisspelled() {
            CREATED.incrementAndGet();
        }

        @Breaker("paymnets")
        public String charge() {
            return "ok";
        }
    }

    static class MisspelledFactory implements FactoryBean<LazyMisspelled> {

        static final AtomicInteger CREATED = new AtomicInteger();

        MisspelledFactory() {
            CREATED.incrementAndGet();
        }

        @Override
        public LazyMisspelled getObject() {
            return new LazyMisspelled();
        }

        @Override
        public Class<?> getObjectType() {
            return LazyMisspelled.class;
        }
    }

    static class LazyClient {

        static final AtomicInteger CREATED = new AtomicInteger();

        LazyClient() {
            CREATED.incrementAndGet();
        }

        @Breaker("payments")
        public String charge() {
            return "charged";
        }
    }
}
