package dev.resilience.sample.standin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One stand-in dependency: a JDK HTTP server on 127.0.0.1 whose behaviour switches at runtime. It counts every
 * request that reaches it, whatever its mode: that count is the number of real calls. Refusing connections closes
 * the server socket; switching back binds the same port again. Thread-safe.
 */
final class StandInServer {

    private final String name;
    private final Responder responder;
    private final Duration slowDelay;
    private final ExecutorService workers;
    private final AtomicLong calls = new AtomicLong();
    private final ReentrantLock switching = new ReentrantLock();
    private volatile StandInMode mode = StandInMode.HEALTHY;
    private volatile int port;
    private HttpServer server;

    StandInServer(String name, int port, Duration slowDelay, Responder responder) {
        this.name = name;
        this.port = port;
        this.slowDelay = slowDelay;
        this.responder = responder;
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "stand-in-" + name + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    String name() {
        return name;
    }

    /** @return the bound port (the one chosen by the system when configured as 0) */
    int port() {
        return port;
    }

    StandInMode mode() {
        return mode;
    }

    /** @return requests that reached this server since it was created */
    long calls() {
        return calls.get();
    }

    void start() {
        switching.lock();
        try {
            if (mode != StandInMode.REFUSING && server == null) {
                bind();
            }
        } finally {
            switching.unlock();
        }
    }

    void stop() {
        switching.lock();
        try {
            unbind();
            workers.shutdownNow();
        } finally {
            switching.unlock();
        }
    }

    void switchTo(StandInMode next) {
        switching.lock();
        try {
            if (next == StandInMode.REFUSING) {
                unbind();
            } else if (server == null) {
                bind();
            }
            mode = next;
        } finally {
            switching.unlock();
        }
    }

    private void bind() {
        try {
            HttpServer created = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            created.setExecutor(workers);
            created.createContext("/", this::handle);
            created.start();
            port = created.getAddress().getPort();
            server = created;
        } catch (IOException failure) {
            throw new UncheckedIOException("Stand-in '" + name + "' cannot listen on 127.0.0.1:" + port
                    + "; free the port or set checkout.stand-in." + name + "-port", failure);
        }
    }

    private void unbind() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            long call = calls.incrementAndGet();
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            StandInMode current = mode;
            Answer answer = switch (current) {
                case FAILING -> new Answer(500, "{\"error\":\"stand-in '" + name + "' is failing\"}");
                case SLOW -> slowly(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body);
                case FLAKY -> call * 7 % 10 < 3 ? new Answer(500, "{\"error\":\"stand-in '" + name + "' is flaky\"}")
                        : responder.respond(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body);
                case THROTTLED -> call % 3 == 0
                        ? new Answer(503, "{\"error\":\"stand-in '" + name + "' is throttling\"}", 1)
                        : responder.respond(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body);
                default -> responder.respond(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body);
            };
            byte[] bytes = answer.json().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            if (answer.retryAfterSeconds() >= 0) {
                exchange.getResponseHeaders().set("Retry-After", Integer.toString(answer.retryAfterSeconds()));
            }
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Simulates a dependency that is up but overloaded: the answer comes after the slow delay. */
    private Answer slowly(String method, String path, String body) {
        try {
            TimeUnit.NANOSECONDS.sleep(slowDelay.toNanos());
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
        return responder.respond(method, path, body);
    }
}
