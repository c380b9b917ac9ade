package dev.resilience.sample.checkout;

import dev.resilience.BreakerOpenException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientResponseException;

/**
 * Turns a dependency's failure into an answer the checkout's callers can act on: a breaker's rejection is a
 * {@code 503} with {@code Retry-After}, a dependency that answered {@code 404} a {@code 404}, with another
 * error a {@code 502}, one that did not
 * answer in time a {@code 504}. The bodies are RFC 9457 problem details.
 */
@RestControllerAdvice
class DownstreamFailures {

    @ExceptionHandler
    ResponseEntity<ProblemDetail> rejected(BreakerOpenException rejection) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The " + rejection.breakerName() + " dependency is unavailable; try again later");
        problem.setProperty("breaker", rejection.breakerName());
        problem.setProperty("state", rejection.state().tag());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(rejection.retryAfter())))
                .body(problem);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> answeredWithError(RestClientResponseException failure) {
        if (failure.getStatusCode().value() == HttpStatus.NOT_FOUND.value()) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND)
                    .body(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No such charge or article"));
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY,
                "A dependency answered " + failure.getStatusCode().value());
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(problem);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unreachable(ResourceAccessException failure) {
        boolean timedOut = failure.getCause() instanceof HttpTimeoutException;
        HttpStatus status = timedOut ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.BAD_GATEWAY;
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status,
                timedOut ? "A dependency did not answer in time" : "A dependency could not be reached");
        return ResponseEntity.status(status).body(problem);
    }

    /** Whole seconds, rounded up, at least 1: {@code Retry-After: 0} would invite an immediate retry. */
    static long retryAfterSeconds(Duration retryAfter) {
        long seconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
