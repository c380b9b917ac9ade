package dev.resilience.sample.checkout;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.resilience.BreakerOpenException;
import dev.resilience.BreakerState;
import dev.resilience.sample.payments.Charge;
import dev.resilience.sample.payments.ChargeRequest;
import dev.resilience.sample.payments.PaymentClient;
import dev.resilience.sample.prices.PriceCatalog;
import dev.resilience.sample.prices.Quote;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;

@WebMvcTest(CheckoutController.class)
class CheckoutControllerTests {

    private static final String ORDER = "{\"sku\":\"book-42\",\"quantity\":2}";

    @Autowired
    private MockMvc mvc;

    @MockitoBean
    private PriceCatalog prices;

    @MockitoBean
    private PaymentClient payments;

    @Test
    void aPaidOrderIsCreatedWithTheTotalCharged() throws Exception {
        // given
        given(prices.quote("book-42")).willReturn(new Quote("book-42", 999, "EUR", false));
        given(payments.charge(new ChargeRequest(1998, "EUR", "book-42 x2"))).willReturn(new Charge("ch_7", 1998, "EUR", "succeeded"));

        // when / then
        mvc.perform(post("/checkout").contentType(MediaType.APPLICATION_JSON).content(ORDER))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.chargeId").value("ch_7"))
                .andExpect(jsonPath("$.amount").value(1998))
                .andExpect(jsonPath("$.stalePrice").value(false));
    }

    @Test
    void anOpenBreakerBecomes503WithRetryAfterInWholeSecondsRoundedUp() throws Exception {
        // given
        given(prices.quote("book-42")).willReturn(new Quote("book-42", 999, "EUR", true));
        given(payments.charge(any())).willThrow(new BreakerOpenException("payments", BreakerState.OPEN,
                TimeUnit.MILLISECONDS.toNanos(7_200), null));

        // when / then
        mvc.perform(post("/checkout").contentType(MediaType.APPLICATION_JSON).content(ORDER))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string(HttpHeaders.RETRY_AFTER, "8"))
                .andExpect(jsonPath("$.breaker").value("payments"))
                .andExpect(jsonPath("$.state").value("open"));
    }

    @Test
    void aHalfOpenRejectionAsksToRetryAfterOneSecond() throws Exception {
        // given
        given(payments.find("ch_1")).willThrow(new BreakerOpenException("payments", BreakerState.HALF_OPEN, 0, null));

        // when / then
        mvc.perform(get("/checkout/charges/ch_1"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string(HttpHeaders.RETRY_AFTER, "1"))
                .andExpect(jsonPath("$.state").value("half_open"));
    }

    @Test
    void aDependencyAnswering500Becomes502() throws Exception {
        // given
        given(payments.find("ch_1")).willThrow(HttpServerErrorException.create(HttpStatus.INTERNAL_SERVER_ERROR,
                "Internal Server Error", HttpHeaders.EMPTY, new byte[0], StandardCharsets.UTF_8));

        // when / then
        mvc.perform(get("/checkout/charges/ch_1")).andExpect(status().isBadGateway());
    }

    @Test
    void anUnknownChargeIs404() throws Exception {
        // given
        given(payments.find("ch_404")).willThrow(HttpClientErrorException.create(HttpStatus.NOT_FOUND, "Not Found",
                HttpHeaders.EMPTY, new byte[0], StandardCharsets.UTF_8));

        // when / then
        mvc.perform(get("/checkout/charges/ch_404")).andExpect(status().isNotFound());
    }

    @Test
    void aDependencyThatDoesNotAnswerInTimeBecomes504AndOneThatCannotBeReached502() throws Exception {
        // given
        given(payments.find("ch_1")).willThrow(new ResourceAccessException("I/O error", new HttpTimeoutException("request timed out")));
        given(payments.find("ch_2")).willThrow(new ResourceAccessException("I/O error", new java.net.ConnectException()));

        // when / then
        mvc.perform(get("/checkout/charges/ch_1")).andExpect(status().isGatewayTimeout());
        mvc.perform(get("/checkout/charges/ch_2")).andExpect(status().isBadGateway());
    }

    @Test
    void anOrderWithoutQuantityIsRefusedBeforeAnyCall() throws Exception {
        // when / then
        mvc.perform(post("/checkout").contentType(MediaType.APPLICATION_JSON).content("{\"sku\":\"book-42\",\"quantity\":0}"))
                .andExpect(status().isBadRequest());
        verifyNoInteractions(prices, payments);
    }

    @Test
    void aPriceComesFromTheCatalog() throws Exception {
        // given
        given(prices.quote("mug-7")).willReturn(new Quote("mug-7", 450, "EUR", true));

        // when / then
        mvc.perform(get("/prices/mug-7"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.amount").value(450))
                .andExpect(jsonPath("$.stale").value(true));
    }

}
