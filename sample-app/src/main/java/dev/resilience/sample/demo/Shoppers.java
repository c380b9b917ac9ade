package dev.resilience.sample.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's traffic: customers of the checkout service, over real HTTP. Each of them, every 150 ms, pays an
 * order ({@code POST /checkout}: a price lookup then a charge) and looks a payment up
 * ({@code GET /checkout/charges/{id}}). What the checkout answers does not matter here: the report reads the
 * library's metrics.
 */
final class Shoppers {

    private static final List<String> ARTICLES = List.of("book-42", "mug-7", "pen-3", "lamp-11");
    private static final Pattern CHARGE_ID = Pattern.compile("\"chargeId\"\\s*:\\s*\"([^\"]+)\"");

    private final URI checkout;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final AtomicReference<String> lastCharge = new AtomicReference<>();

    Shoppers(int port) {
        this.checkout = URI.create("http://127.0.0.1:" + port);
    }

    void start(ScheduledExecutorService scheduler, int count) {
        for (int i = 0; i < count; i++) {
            scheduler.scheduleWithFixedDelay(this::shop, i * 50L, 150, TimeUnit.MILLISECONDS);
        }
    }

    private void shop() {
        try {
            String sku = ARTICLES.get(ThreadLocalRandom.current().nextInt(ARTICLES.size()));
            HttpResponse<String> paid = http.send(HttpRequest.newBuilder(checkout.resolve("/checkout"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"" + sku + "\",\"quantity\":1}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            Matcher id = CHARGE_ID.matcher(paid.body());
            if (paid.statusCode() == 201 && id.find()) {
                lastCharge.set(id.group(1));
            }
            String charge = lastCharge.get();
            if (charge != null) {
                http.send(HttpRequest.newBuilder(checkout.resolve("/checkout/charges/" + charge))
                        .timeout(Duration.ofSeconds(10))
                        .GET().build(), HttpResponse.BodyHandlers.discarding());
            }
        } catch (IOException ignored) {
            // the checkout is on this machine; a failed request shows in the report as no operation
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }
}
