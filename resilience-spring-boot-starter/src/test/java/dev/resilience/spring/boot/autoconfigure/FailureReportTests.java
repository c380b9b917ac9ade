package dev.resilience.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.resilience.annotation.Breaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;

/** What a user sees when a real application fails to start: Spring Boot's report, written by our analyzers. */
@ExtendWith(OutputCaptureExtension.class)
class FailureReportTests {

    @Test
    void aMisspelledBreakerNameIsReportedWithTheFix(CapturedOutput output) {
        // when
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(Application.class)
                .web(WebApplicationType.NONE)
                .properties("resilience.breaker.instances.payments.window-size=50")
                .run());

        // then
        assertThat(failure).isNotNull();
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Breaker 'paymnets' on Client.charge is not declared")
                .contains("Did you mean 'payments'?");
    }

    @Test
    void aMisspelledKeyIsReportedWithTheClosestKeyRatherThanBootsGenericMessage(CapturedOutput output) {
        // when
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(Empty.class)
                .web(WebApplicationType.NONE)
                .properties("resilience.breaker.defaults.open-durration=5s")
                .run());

        // then
        assertThat(failure).isNotNull();
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("resilience.breaker.defaults.open-durration = 5s is not a property of the resilience starter")
                .contains("Did you mean resilience.breaker.defaults.open-duration?");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {

        @Bean
        Client client() {
            return new Client();
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Empty {
    }

    static class Client {
        @Breaker("paymnets")
        public String charge() {
            return "ok";
        }
    }
}
