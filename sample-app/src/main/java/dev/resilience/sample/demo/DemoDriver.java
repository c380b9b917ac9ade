package dev.resilience.sample.demo;

import dev.resilience.sample.feed.FeedShopper;
import dev.resilience.sample.feed.PriceFeed;
import dev.resilience.sample.standin.StandIn;
import dev.resilience.spring.BreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The demo (profile {@code demo}): drives customers through the checkout while it switches the stand-ins through
 * the phases of {@link DemoScript}, prints once a second one line per dependency, and exits when the phases are
 * over (unless {@code checkout.demo.exit-when-done=false}).
 */
@Component
@Profile("demo")
final class DemoDriver implements ApplicationRunner {

    private static final int SHOPPERS = 3;

    private final StandIn standIn;
    private final List<DependencyReport> reports;
    private final Environment environment;
    private final ConfigurableApplicationContext context;
    private final boolean exitWhenDone;
    private final PrintStream out = System.out;
    private final FeedShopper feedShopper;

    DemoDriver(StandIn standIn, MeterRegistry meters, BreakerRegistry breakers, Environment environment,
            ConfigurableApplicationContext context, @Value("${checkout.demo.exit-when-done:true}") boolean exitWhenDone,
            PriceFeed feed) {
        this.standIn = standIn;
        this.reports = standIn.names().stream()
                .map(name -> new DependencyReport(name, meters, standIn, breakers)).toList();
        this.environment = environment;
        this.context = context;
        this.exitWhenDone = exitWhenDone;
        this.feedShopper = new FeedShopper(feed, meters);
    }

    @Override
    public void run(ApplicationArguments args) throws InterruptedException {
        int port = environment.getRequiredProperty("local.server.port", Integer.class);
        List<DemoPhase> phases = DemoScript.phases();
        int total = phases.stream().mapToInt(DemoPhase::seconds).sum();
        out.printf("Checkout demo on http://localhost:%d, %d phases, %ds; it ends by itself (Ctrl-C ends it sooner).%n",
                port, phases.size(), total);
        out.printf("While it runs, open http://localhost:%1$d/actuator/breakers, /actuator/health, /actuator/prometheus%n", port);
        if (environment.getProperty("resilience.dashboard.enabled", Boolean.class, false)) {
            int pagePort = environment.getProperty("local.management.port", Integer.class, port);
            out.printf("Watch the breakers on the operator's page: http://localhost:%d/resilience/dashboard%n", pagePort);
        }
        out.println("Each second, per dependency: operations ok / failed / rejected by the breaker, real calls that reached it,"
                + " breaker state, and prices served from the last known price when prices could not answer.");

        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(DemoDriver::daemon);
        ScheduledExecutorService traffic = Executors.newScheduledThreadPool(SHOPPERS, DemoDriver::daemon);
        CountDownLatch done = new CountDownLatch(1);
        Map<String, OperationCounts> before = new HashMap<>();
        reports.forEach(report -> before.put(report.dependency(), report.counts()));
        AtomicInteger tick = new AtomicInteger();
        AtomicReference<DemoPhase> current = new AtomicReference<>();
        ticker.scheduleAtFixedRate(() -> {
            try {
                int second = tick.getAndIncrement();
                if (second > 0) {
                    for (DependencyReport report : reports) {
                        OperationCounts now = report.counts();
                        out.println(DependencyReport.line(second, current.get().name(), report.dependency(),
                                now.minus(before.put(report.dependency(), now)), report.breakerState()));
                    }
                }
                DemoPhase next = phaseAt(phases, second);
                if (next == null) {
                    done.countDown();
                    return;
                }
                if (next != current.get()) {
                    current.set(next);
                    next.modes().forEach(standIn::switchTo);
                    out.printf("---- %s (%ds): %s%n", next.name(), next.seconds(), next.whatToWatch());
                }
            } catch (RuntimeException broken) {
                broken.printStackTrace(out);
                done.countDown();
            }
        }, 0, 1, TimeUnit.SECONDS);
        new Shoppers(port).start(traffic, SHOPPERS);
        feedShopper.start(traffic);
        done.await();
        ticker.shutdownNow();
        traffic.shutdownNow();
        out.println("Demo over. Totals since startup:");
        for (DependencyReport report : reports) {
            OperationCounts all = report.counts();
            out.printf("  %-8s  ok %d  failed %d  rejected %d | real calls %d | breaker %s%s%n", report.dependency(),
                    all.ok(), all.failed(), all.rejected(), all.realCalls(), report.breakerState(),
                    all.fallbacks() > 0 ? " | stale prices " + all.fallbacks() : "");
        }
        out.println(feedShopper.totals());
        if (exitWhenDone) {
            System.exit(SpringApplication.exit(context));
        }
        out.println("The application keeps running (checkout.demo.exit-when-done=false); Ctrl-C stops it.");
    }

    private static Thread daemon(Runnable task) {
        Thread thread = new Thread(task, "demo");
        thread.setDaemon(true);
        return thread;
    }

    /** @return the phase that covers the second starting at {@code second}, or null after the last one */
    static DemoPhase phaseAt(List<DemoPhase> phases, int second) {
        int end = 0;
        for (DemoPhase phase : phases) {
            end += phase.seconds();
            if (second < end) {
                return phase;
            }
        }
        return null;
    }
}
