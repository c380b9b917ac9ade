package dev.resilience.sample.payments;

import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.PostExchange;

/**
 * The payments service, an HTTP service client: Spring's {@code HttpServiceProxyFactory} implements it over the
 * payments {@code RestClient} (see {@code DownstreamClients}), and the starter guards that JDK proxy through the
 * annotations declared here. One breaker, {@code payments}, for both of its operations; the metrics name them
 * {@code PaymentClient.charge} and {@code PaymentClient.find}.
 */
@Breaker("payments")
public interface PaymentClient {

    /**
     * Charges a card. Charging twice costs the customer money, so the call is not idempotent: it is retried only
     * when the failure proves the request never left (connection refused, connect timeout), never after a 500 or
     * a read timeout.
     *
     * @param request what to charge
     * @return the charge created
     */
    @PostExchange("/charges")
    @Retry(maxAttempts = 3)
    Charge charge(@RequestBody ChargeRequest request);

    /**
     * Reads a charge; safe to repeat, so any failure is retried, except a 4xx answer (an unknown charge stays
     * unknown).
     *
     * @param id the charge's id
     * @return the charge
     */
    @GetExchange("/charges/{id}")
    @Retry(maxAttempts = 3, idempotent = true, abortOn = HttpClientErrorException.class)
    Charge find(@PathVariable String id);
}
