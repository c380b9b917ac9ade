package dev.resilience.spring.boot.autoconfigure;

import static dev.resilience.spring.boot.autoconfigure.StartupFailures.analysisOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import dev.resilience.spring.BreakerRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The String attributes of @Retry and @Breaker.value resolve ${...} placeholders at startup. */
class PlaceholderTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class))
            .withPropertyValues("resilience.breaker.instances.payments.window-size=50");

    @Test
    void aPlaceholderTakesItsPropertyOrItsDefault() {
        runner.withBean(PaymentClient.class).withPropertyValues("payments.retry-delay=50ms").run(context -> {
            assertThat(context).hasNotFailed();
            var guard = context.getBean(dev.resilience.spring.aop.MethodGuards.class);
            var method = PaymentClient.class.getMethod("charge");
            assertThat(guard.find(method, PaymentClient.class)).get()
                    .extracting(found -> found.breakerTag()).isEqualTo("payments");
            assertThat(context.getBean(BreakerRegistry.class).find("payments")).isPresent();
        });
    }

    @Test
    void theRetrysWaitsComeFromTheResolvedText() throws Exception {
        var policy = dev.resilience.RetryPolicy.from(PaymentClient.class.getMethod("charge").getAnnotation(Retry.class),
                dev.resilience.RetryDefaults.standard(),
                text -> text.replace("${payments.retry-delay:200ms}", "50ms").replace("${payments.max-delay:2s}", "2s"));

        assertThat(policy.delay()).isEqualTo(Duration.ofMillis(50));
        assertThat(policy.maxDelay()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void anUnresolvablePlaceholderFailsStartupNamingTheMethod() {
        runner.withBean(Unresolvable.class).run(context -> {
            FailureAnalysis analysis = analysisOf(context);

            assertThat(analysis.getDescription()).startsWith("@Retry on Unresolvable.charge is \"${nowhere}\", but its"
                    + " placeholder cannot be resolved: Could not resolve placeholder 'nowhere'");
            assertThat(analysis.getAction()).isEqualTo("Define the property in the application's configuration, give"
                    + " the placeholder a default such as ${payments.retry-delay:200ms}, or write the value itself in"
                    + " @Retry on Unresolvable.charge.");
        });
    }

    static class PaymentClient {
        @Breaker("${payments.breaker-name:payments}")
        @Retry(delay = "${payments.retry-delay:200ms}", maxDelay = "${payments.max-delay:2s}")
        public String charge() {
            return "ok";
        }
    }

    static class Unresolvable {
        @Breaker("payments")
        @Retry(delay = "${nowhere}")
        public String charge() {
            return "ok";
        }
    }
}
