package dev.resilience.spring.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.BreakerState;
import dev.resilience.annotation.Breaker;
import dev.resilience.spring.BreakerRegistry;
import dev.resilience.spring.boot.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.test.ManualTimeSource;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.TestContextManager;
import org.springframework.test.context.TestExecutionListener;

/**
 * Two tests share one cached context: the first forces a breaker open, and the listener, found through
 * {@code spring.factories} with no annotation on this class, has closed it again before the second runs.
 */
@SpringBootTest(classes = ResetBreakersTestExecutionListenerTests.App.class,
        properties = "resilience.breaker.instances.payments.minimum-calls=1")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResetBreakersTestExecutionListenerTests {

    @Autowired
    BreakerRegistry breakers;

    @Test
    @Order(1)
    void aTestLeavesItsBreakerForcedOpen() {
        breakers.breaker("payments").forceOpen();

        assertThat(breakers.breaker("payments").state()).isEqualTo(BreakerState.FORCED_OPEN);
    }

    @Test
    @Order(2)
    void theNextTestFindsItClosedWithAnEmptyWindow() {
        assertThat(breakers.breaker("payments").state()).isEqualTo(BreakerState.CLOSED);
        assertThat(breakers.breaker("payments").snapshot().rejectedCalls()).isZero();
    }

    @Test
    @Order(3)
    void theListenerIsRegisteredForEverySpringTest() {
        List<TestExecutionListener> listeners = new TestContextManager(getClass()).getTestExecutionListeners();

        assertThat(listeners).hasAtLeastOneElementOfType(ResetBreakersTestExecutionListener.class);
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ResilienceAutoConfiguration.class)
    static class App {

        @Bean
        ManualTimeSource time() {
            return new ManualTimeSource();
        }

        @Bean
        Payments payments() {
            return new Payments();
        }
    }

    static class Payments {

        @Breaker("payments")
        public String charge() {
            return "charged";
        }
    }
}
