package dev.resilience.sample.feed;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;

/**
 * A shopper of the demo on the reactive path: every 200 ms it subscribes to {@link PriceFeed#price}, each
 * subscription one guarded operation, and it says at the end how those operations went.
 */
public final class FeedShopper {

    private static final String METHOD = "PriceFeed.price";

    private final PriceFeed feed;
    private final MeterRegistry meters;

    public FeedShopper(PriceFeed feed, MeterRegistry meters) {
        this.feed = feed;
        this.meters = meters;
    }

    /** Starts subscribing on the demo's traffic threads; a failure is counted by the guard, then dropped. */
    public void start(ScheduledExecutorService traffic) {
        traffic.scheduleAtFixedRate(() -> feed.price("book-42").onErrorResume(failure -> Mono.empty()).subscribe(),
                0, 200, TimeUnit.MILLISECONDS);
    }

    /** @return the reactive operations by outcome, as {@code resilience.operations} counted them */
    public String totals() {
        return String.format("  %-10s ok %d  failed %d  rejected %d  (a WebClient Mono, one operation per subscription)",
                "price-feed", count("success"), count("failure"), count("rejected"));
    }

    private long count(String outcome) {
        return meters.find("resilience.operations").tags("method", METHOD, "outcome", outcome).timers().stream()
                .mapToLong(Timer::count).sum();
    }
}
