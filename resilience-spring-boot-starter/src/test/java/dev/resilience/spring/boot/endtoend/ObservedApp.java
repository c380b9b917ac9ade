package dev.resilience.spring.boot.endtoend;

import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import dev.resilience.test.ManualTimeSource;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/** A web application with one guarded client of a dependency that always fails, on a clock that never waits. */
@SpringBootConfiguration
@EnableAutoConfiguration
class ObservedApp {

    @Bean
    ManualTimeSource resilienceTimeSource() {
        return new ManualTimeSource();
    }

    @Bean
    PaymentClient paymentClient() {
        return new PaymentClient();
    }

    /** Fails every call as a refused connection would. */
    static class PaymentClient {

        private final AtomicInteger calls = new AtomicInteger();

        @Breaker("payments")
        @Retry(maxAttempts = 3, idempotent = true)
        public String charge() throws IOException {
            calls.incrementAndGet();
            throw new IOException("connection refused");
        }

        public int calls() {
            return calls.get();
        }
    }
}
