package dev.resilience.spring.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/** The server's Retry-After, read from Spring's HTTP client exceptions: seconds or an HTTP date. */
class HttpRetryAfterPushbackTests {

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);
    private final HttpRetryAfterPushback pushback = new HttpRetryAfterPushback(clock);

    private static HttpHeaders retryAfter(String value) {
        HttpHeaders headers = new HttpHeaders();
        headers.set("Retry-After", value);
        return headers;
    }

    private static RestClientResponseException serviceUnavailable(HttpHeaders headers) {
        return HttpServerErrorException.create(HttpStatus.SERVICE_UNAVAILABLE, "Service Unavailable", headers,
                new byte[0], StandardCharsets.UTF_8);
    }

    @Test
    void secondsAreTheDelay() {
        assertThat(pushback.delay(serviceUnavailable(retryAfter("7")))).contains(Duration.ofSeconds(7));
    }

    @Test
    void anHttpDateIsReadAgainstTheWallClock() {
        assertThat(pushback.delay(serviceUnavailable(retryAfter("Tue, 01 Dec 2026 12:00:30 GMT"))))
                .contains(Duration.ofSeconds(30));
        assertThat(pushback.delay(serviceUnavailable(retryAfter("Tue, 01 Dec 2026 11:00:00 GMT"))))
                .as("a date in the past").contains(Duration.ZERO);
    }

    @Test
    void noHeaderOrAnUnreadableOneIsNoDelay() {
        assertThat(pushback.delay(serviceUnavailable(new HttpHeaders()))).isEmpty();
        assertThat(pushback.delay(serviceUnavailable(retryAfter("soon")))).isEmpty();
        assertThat(pushback.delay(serviceUnavailable(retryAfter("-3")))).isEmpty();
        assertThat(pushback.delay(new IllegalStateException("no HTTP here"))).isEmpty();
    }

    @Test
    void theResponseIsFoundAnywhereInTheCauseChain() {
        Throwable wrapped = new CompletionException(new IllegalStateException(serviceUnavailable(retryAfter("2"))));

        assertThat(pushback.delay(wrapped)).contains(Duration.ofSeconds(2));
    }

    @Test
    void aWebClientResponseIsReadToo() {
        WebClientResponseException tooMany = WebClientResponseException.create(429, "Too Many Requests",
                retryAfter("3"), new byte[0], StandardCharsets.UTF_8);

        assertThat(pushback.delay(tooMany)).isEqualTo(Optional.of(Duration.ofSeconds(3)));
    }
}
