package dev.resilience.sample.outage;

import static org.awaitility.Awaitility.await;

import dev.resilience.sample.FreePort;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * A dependency played by a real container: busybox {@code httpd} on 127.0.0.1 (host networking) running the CGI
 * script {@code outage/api.cgi}, which appends every request that reaches it to {@code /tmp/calls.log} before it
 * answers. That log is the container's own count of real calls; a paused container logs the requests it had
 * queued once it is unpaused, a killed one logs nothing (the connection is refused).
 */
final class DownstreamContainer extends GenericContainer<DownstreamContainer> {

    private static final String CALLS = "/tmp/calls.log";

    private final int port;

    DownstreamContainer() {
        this(FreePort.onLoopback());
    }

    private DownstreamContainer(int port) {
        super(DockerImageName.parse("busybox:1.36.1"));
        this.port = port;
        withNetworkMode("host");
        withCopyToContainer(Transferable.of(script(), 0755), "/www/cgi-bin/api");
        withCopyToContainer(Transferable.of("ready\n"), "/www/ready");
        withCommand("httpd", "-f", "-p", "127.0.0.1:" + port, "-h", "/www");
        withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withInit(true));
        waitingFor(Wait.forSuccessfulCommand("wget -q -O /dev/null http://127.0.0.1:" + port + "/ready")
                .withStartupTimeout(Duration.ofSeconds(30)));
    }

    /** @return the base URL of the dependency's API, as the checkout's clients use it */
    String baseUrl() {
        return "http://127.0.0.1:" + port + "/cgi-bin/api";
    }

    /** @return the requests that reached the container, one {@code METHOD /path} per line, in order */
    List<String> calls() {
        String log = exec("cat " + CALLS + " 2>/dev/null || true");
        return log.isBlank() ? List.of() : Arrays.asList(log.strip().split("\n"));
    }

    /** Empties the call log and makes the dependency healthy. */
    void reset() {
        exec("rm -f /tmp/mode /tmp/release; : > " + CALLS);
    }

    /**
     * @param mode {@code failing} (answers 500), {@code hold} (answers once {@link #release()} is called, or after
     *     30s), {@code flaky} (500 to every other call), {@code throttled} (503 with Retry-After: 1 to every other
     *     call), {@code throttled-long} (503 with Retry-After: 30 to every call), {@code too-many} (429 with
     *     Retry-After: 1 to every call), {@code reset} (headers and part of the body, then the connection closes short
     *     of its Content-Length) or {@code drip} (headers and part of the body, then the body stalls until
     *     {@link #release()} is called, or 10s)
     */
    void mode(String mode) {
        exec("echo " + mode + " > /tmp/mode");
    }

    /** Lets the calls held by the mode {@code hold} answer. */
    void release() {
        exec("touch /tmp/release");
    }

    void pause() {
        getDockerClient().pauseContainerCmd(getContainerId()).exec();
    }

    void unpause() {
        getDockerClient().unpauseContainerCmd(getContainerId()).exec();
    }

    /** Kills httpd: connections to the port are refused. The call log survives. */
    void kill() {
        getDockerClient().killContainerCmd(getContainerId()).exec();
        await().atMost(Duration.ofSeconds(10)).until(() -> !getDockerClient().inspectContainerCmd(getContainerId())
                .exec().getState().getRunning());
    }

    /** Starts the killed container again and waits until it answers. */
    void restart() {
        getDockerClient().startContainerCmd(getContainerId()).exec();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
                .timeout(Duration.ofSeconds(1)).build();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    /**
     * Pauses the container and fills its listening socket's accept queue with idle connections from 127.0.0.1, so
     * that the kernel drops any further connection attempt: a client's connect times out, as against a host that is
     * up but does not accept. Closing what it returns closes those connections; {@link #unpause()} is still needed.
     *
     * @return the idle connections, to close
     */
    AutoCloseable pauseWithFullAcceptQueue() {
        pause();
        List<Socket> queued = new ArrayList<>();
        try {
            for (int i = 0; i < 512; i++) {
                Socket socket = new Socket();
                try {
                    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                    queued.add(socket);
                } catch (SocketTimeoutException full) {
                    socket.close();
                    return () -> close(queued);
                }
            }
        } catch (IOException failure) {
            close(queued);
            throw new UncheckedIOException(failure);
        }
        close(queued);
        throw new IllegalStateException("the accept queue of port " + port + " took 512 connections and is not full");
    }

    private static void close(List<Socket> sockets) {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing an idle test connection: nothing to do
            }
        }
    }

    /** Undoes what a test that failed half-way may have left: a paused or killed container. */
    void runningAndUnpaused() {
        var state = getDockerClient().inspectContainerCmd(getContainerId()).exec().getState();
        if (Boolean.TRUE.equals(state.getPaused())) {
            unpause();
        } else if (!Boolean.TRUE.equals(state.getRunning())) {
            restart();
        }
    }

    private String exec(String command) {
        try {
            ExecResult result = execInContainer("sh", "-c", command);
            if (result.getExitCode() != 0) {
                throw new IllegalStateException("'" + command + "' failed in the container with exit code "
                        + result.getExitCode() + ": " + result.getStderr());
            }
            return result.getStdout();
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running '" + command + "' in the container", interrupted);
        }
    }

    private static String script() {
        try (InputStream in = DownstreamContainer.class.getResourceAsStream("/outage/api.cgi")) {
            if (in == null) {
                throw new IllegalStateException("outage/api.cgi is missing from the test resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }
}
