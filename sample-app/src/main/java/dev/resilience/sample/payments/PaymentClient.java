package dev.resilience.sample.payments;

import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * The payments service: one breaker, {@code payments}, for both of its operations. Not final: Spring proxies it.
 */
@Breaker("payments")
public class PaymentClient {

    private final RestClient http;

    public PaymentClient(RestClient http) {
        this.http = http;
    }

    /**
     * Charges a card. Charging twice costs the customer money, so the call is not idempotent: it is retried only
     * when the failure proves the request never left (connection refused, connect timeout), never after a 500 or
     * a read timeout.
     *
     * @param request what to charge
     * @return the charge created
     */
    @Retry(maxAttempts = 3)
    public Charge charge(ChargeRequest request) {
        return http.post().uri("/charges").body(request).retrieve().body(Charge.class);
    }

    /**
     * Reads a charge; safe to repeat, so any failure is retried, except a 4xx answer (an unknown charge stays
     * unknown).
     *
     * @param id the charge's id
     * @return the charge
     */
    @Retry(maxAttempts = 3, idempotent = true, abortOn = HttpClientErrorException.class)
    public Charge find(String id) {
        return http.get().uri("/charges/{id}", id).retrieve().body(Charge.class);
    }
}
