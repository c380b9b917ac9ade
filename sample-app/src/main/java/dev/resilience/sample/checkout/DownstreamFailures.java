package dev.resilience.sample.checkout;

import dev.resilience.BreakerOpenException;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * Turns a dependency's failure into an answer the checkout's callers can act on: a breaker's rejection is a
 * {@code 503} with {@code Retry-After}, a dependency that answered {@code 404} a {@code 404}; one that answered
 * another error, could not be reached, or whose answer broke off or could not be read a {@code 502}; one that did
 * not answer in time a {@code 504}. The bodies are RFC 9457 problem details.
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

    /**
     * An answer that broke off or stalled mid-body (past the read timeout, which closes the body's stream), or that
     * was unreadable: Spring's {@code RestClient} reports each as a plain {@code RestClientException} ("Error while
     * extracting response"), caused by the {@code IOException} or {@code HttpMessageNotReadableException} of reading
     * it. That is the dependency's failure, so a {@code 502}; a stalled body is no {@code 504}, since nothing in the
     * failure tells it from a cut-off one. Any other plain {@code RestClientException} (no converter for a request
     * body, say) is the checkout's own bug and is left to the usual {@code 500}.
     */
    @ExceptionHandler
    ResponseEntity<ProblemDetail> answerUnreadable(RestClientException failure) throws RestClientException {
        if (!whileReadingTheAnswer(failure)) {
            throw failure;
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY,
                "A dependency's answer broke off or could not be read");
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(problem);
    }

    private static boolean whileReadingTheAnswer(RestClientException failure) {
        Throwable cause = failure.getCause();
        for (int depth = 0; cause != null && depth < 16; depth++, cause = cause.getCause()) { // 16: a cycle ends
            if (cause instanceof IOException || cause instanceof HttpMessageNotReadableException) {
                return true;
            }
        }
        return false;
    }

    /** Whole seconds, rounded up, at least 1: {@code Retry-After: 0} would invite an immediate retry. */
    static long retryAfterSeconds(Duration retryAfter) {
        long seconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
