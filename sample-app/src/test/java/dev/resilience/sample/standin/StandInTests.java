package dev.resilience.sample.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StandInTests {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private StandIn standIn;

    @BeforeEach
    void start() {
        standIn = new StandIn(new StandInProperties(true, 0, 0, Duration.ofMillis(1)));
        standIn.start();
    }

    @AfterEach
    void stop() {
        standIn.stop();
    }

    @Test
    void healthyPaymentsCreatesAChargeThatCanBeReadBack() throws Exception {
        // when
        HttpResponse<String> created = send("payments", "POST", "/charges", "{\"amount\":1998,\"currency\":\"EUR\",\"reference\":\"x\"}");
        HttpResponse<String> read = send("payments", "GET", "/charges/ch_1", "");

        // then
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).isEqualTo("{\"id\":\"ch_1\",\"amount\":1998,\"currency\":\"EUR\",\"status\":\"succeeded\"}");
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).isEqualTo(created.body());
        assertThat(standIn.calls("payments")).isEqualTo(2);
        assertThat(standIn.calls("prices")).isZero();
    }

    @Test
    void healthyPricesAnswersTheSamePriceForTheSameArticle() throws Exception {
        // when
        HttpResponse<String> first = send("prices", "GET", "/prices/book-42", "");
        HttpResponse<String> second = send("prices", "GET", "/prices/book-42", "");

        // then
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).startsWith("{\"sku\":\"book-42\",\"amount\":").endsWith(",\"currency\":\"EUR\"}");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(standIn.calls("prices")).isEqualTo(2);
    }

    @Test
    void failingAnswers500AndCountsTheCall() throws Exception {
        // given
        standIn.switchTo("prices", StandInMode.FAILING);

        // when
        HttpResponse<String> answer = send("prices", "GET", "/prices/book-42", "");

        // then
        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(standIn.calls("prices")).isEqualTo(1);
        assertThat(standIn.status("prices").mode()).isEqualTo("failing");
    }

    @Test
    void flakyAnswers500ToThreeCallsInTenSpreadEvenly() throws Exception {
        // given
        standIn.switchTo("prices", StandInMode.FLAKY);

        // when
        StringBuilder statuses = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            statuses.append(send("prices", "GET", "/prices/book-42", "").statusCode() == 500 ? 'x' : '.');
        }

        // then
        assertThat(statuses.toString()).isEqualTo("..x..x...x");
        assertThat(standIn.calls("prices")).isEqualTo(10);
    }

    @Test
    void throttledAnswers503WithRetryAfterToOneCallInThree() throws Exception {
        // given
        standIn.switchTo("payments", StandInMode.THROTTLED);

        // when
        HttpResponse<String> first = send("payments", "GET", "/charges/ch_1", "");
        HttpResponse<String> second = send("payments", "GET", "/charges/ch_1", "");
        HttpResponse<String> third = send("payments", "GET", "/charges/ch_1", "");

        // then
        assertThat(first.statusCode()).isEqualTo(404);
        assertThat(second.statusCode()).isEqualTo(404);
        assertThat(third.statusCode()).isEqualTo(503);
        assertThat(third.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(first.headers().firstValue("Retry-After")).isEmpty();
    }

    @Test
    void slowAnswersNormallyAfterItsDelay() throws Exception {
        // given
        standIn.switchTo("prices", StandInMode.SLOW);

        // when
        HttpResponse<String> answer = send("prices", "GET", "/prices/mug-7", "");

        // then
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(standIn.calls("prices")).isEqualTo(1);
    }

    @Test
    void refusingClosesTheSocketAndHealthyReopensTheSamePort() throws Exception {
        // given
        String url = standIn.status("payments").url();

        // when
        standIn.switchTo("payments", StandInMode.REFUSING);

        // then
        assertThatThrownBy(() -> send("payments", "GET", "/charges/ch_1", "")).hasCauseInstanceOf(ConnectException.class);
        assertThat(standIn.calls("payments")).isZero();

        // when
        standIn.switchTo("payments", StandInMode.HEALTHY);

        // then
        assertThat(standIn.status("payments").url()).isEqualTo(url);
        assertThat(send("payments", "GET", "/charges/ch_9", "").statusCode()).isEqualTo(404);
        assertThat(standIn.calls("payments")).isEqualTo(1);
    }

    @Test
    void anUnknownModeIsRejectedNamingTheAllowedOnes() {
        assertThatIllegalArgumentException().isThrownBy(() -> StandInMode.of("sleepy"))
                .withMessage("Stand-in mode must be one of healthy, failing, slow, refusing, flaky, throttled, but was"
                        + " 'sleepy'");
    }

    @Test
    void anUnknownStandInIsRejectedNamingTheKnownOnes() {
        assertThatIllegalArgumentException().isThrownBy(() -> standIn.calls("stock"))
                .withMessage("No stand-in named 'stock'; the stand-ins are [payments, prices]");
    }

    private HttpResponse<String> send(String dependency, String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(standIn.status(dependency).url() + path))
                .timeout(Duration.ofSeconds(5))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
