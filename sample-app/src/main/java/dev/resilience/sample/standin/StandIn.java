package dev.resilience.sample.standin;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.context.SmartLifecycle;

/**
 * Stand-ins for the checkout's dependencies, {@code payments} and {@code prices}, each its own HTTP server on
 * 127.0.0.1 so that one can fail while the other is healthy. They start before the web server and stop after it.
 * Thread-safe.
 */
public final class StandIn implements SmartLifecycle {

    private final Map<String, StandInServer> servers;
    private volatile boolean running;

    /**
     * Creates the stand-ins; {@link #start()} binds them.
     *
     * @param properties ports and slow delay
     */
    public StandIn(StandInProperties properties) {
        servers = Stream.of(
                        new StandInServer("payments", properties.paymentsPort(), properties.slowDelay(), new PaymentsResponder()),
                        new StandInServer("prices", properties.pricesPort(), properties.slowDelay(), new PricesResponder()))
                .collect(Collectors.toUnmodifiableMap(StandInServer::name, Function.identity()));
    }

    /** @return the dependencies' names, sorted */
    public List<String> names() {
        return servers.keySet().stream().sorted().toList();
    }

    /**
     * The state of one stand-in.
     *
     * @param name {@code payments} or {@code prices}
     * @return its mode, real calls and URL
     * @throws IllegalArgumentException naming the known stand-ins
     */
    public StandInStatus status(String name) {
        StandInServer server = server(name);
        return new StandInStatus(name, server.mode().tag(), server.calls(), "http://127.0.0.1:" + server.port());
    }

    /**
     * Switches one stand-in's behaviour, at once.
     *
     * @param name {@code payments} or {@code prices}
     * @param mode the new behaviour
     * @return its state afterwards
     * @throws IllegalArgumentException naming the known stand-ins
     */
    public StandInStatus switchTo(String name, StandInMode mode) {
        server(name).switchTo(mode);
        return status(name);
    }

    /**
     * Requests that reached a stand-in, whatever it answered: the real calls made to that dependency.
     *
     * @param name {@code payments} or {@code prices}
     * @return the count since startup
     */
    public long calls(String name) {
        return server(name).calls();
    }

    private StandInServer server(String name) {
        StandInServer server = servers.get(name);
        if (server == null) {
            throw new IllegalArgumentException("No stand-in named '" + name + "'; the stand-ins are " + names());
        }
        return server;
    }

    @Override
    public void start() {
        servers.values().forEach(StandInServer::start);
        running = true;
    }

    @Override
    public void stop() {
        servers.values().forEach(StandInServer::stop);
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before the web server (which starts in a later phase), so no request finds it missing. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }
}
