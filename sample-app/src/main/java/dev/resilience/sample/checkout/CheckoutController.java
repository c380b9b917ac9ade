package dev.resilience.sample.checkout;

import dev.resilience.sample.payments.Charge;
import dev.resilience.sample.payments.ChargeRequest;
import dev.resilience.sample.payments.PaymentClient;
import dev.resilience.sample.prices.PriceCatalog;
import dev.resilience.sample.prices.Quote;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The checkout's HTTP API: pay an order ({@code POST /checkout}), look a payment up, read a price. Failures of
 * the dependencies are turned into answers by {@link DownstreamFailures}.
 */
@RestController
class CheckoutController {

    private final PriceCatalog prices;
    private final PaymentClient payments;

    CheckoutController(PriceCatalog prices, PaymentClient payments) {
        this.prices = prices;
        this.payments = payments;
    }

    @PostMapping("/checkout")
    @ResponseStatus(HttpStatus.CREATED)
    Receipt checkout(@RequestBody Order order) {
        if (order.sku() == null || order.sku().isBlank() || order.quantity() < 1) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "An order needs a sku and a quantity of at least 1, but was " + order);
        }
        Quote quote = prices.quote(order.sku());
        long total = quote.amount() * order.quantity();
        Charge charge = payments.charge(new ChargeRequest(total, quote.currency(), order.sku() + " x" + order.quantity()));
        return new Receipt(charge.id(), order.sku(), order.quantity(), charge.amount(), charge.currency(), quote.stale());
    }

    @GetMapping("/checkout/charges/{id}")
    Charge charge(@PathVariable String id) {
        return payments.find(id);
    }

    @GetMapping("/prices/{sku}")
    Quote price(@PathVariable String sku) {
        return prices.quote(sku);
    }
}
