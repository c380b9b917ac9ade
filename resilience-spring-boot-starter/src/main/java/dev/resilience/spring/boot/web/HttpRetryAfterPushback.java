package dev.resilience.spring.boot.web;

import dev.resilience.Pushback;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.springframework.util.ClassUtils;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * The starter's own pushback: the {@code Retry-After} header of the first {@code RestClientResponseException}
 * ({@code RestClient}, {@code RestTemplate}) or {@code WebClientResponseException} ({@code WebClient}, only when
 * WebFlux is present) in a failure's cause chain. Thread-safe.
 */
final class HttpRetryAfterPushback implements Pushback {

    private static final int MAX_DEPTH = 64;
    private static final String RETRY_AFTER = "Retry-After";
    private static final boolean WEB_CLIENT = ClassUtils.isPresent(
            "org.springframework.web.reactive.function.client.WebClientResponseException",
            HttpRetryAfterPushback.class.getClassLoader());

    private final Clock clock;

    HttpRetryAfterPushback(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Optional<Duration> delay(Throwable failure) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_DEPTH; depth++) {
            if (current instanceof RestClientResponseException response) {
                return response.getResponseHeaders() == null ? Optional.empty()
                        : RetryAfter.parse(response.getResponseHeaders().getFirst(RETRY_AFTER), clock);
            }
            if (WEB_CLIENT && WebClientHeader.is(current)) {
                return RetryAfter.parse(WebClientHeader.of(current), clock);
            }
            Throwable cause = current.getCause();
            current = cause == current ? null : cause;
        }
        return Optional.empty();
    }

    /** Touches WebFlux only when it is present. */
    private static final class WebClientHeader {

        static boolean is(Throwable failure) {
            return failure instanceof WebClientResponseException;
        }

        static String of(Throwable failure) {
            return ((WebClientResponseException) failure).getHeaders().getFirst(RETRY_AFTER);
        }
    }

    @Override
    public String toString() {
        return "HttpRetryAfterPushback[RestClientResponseException" + (WEB_CLIENT ? ", WebClientResponseException]"
                : "]");
    }
}
