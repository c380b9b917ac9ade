package dev.resilience.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports for the servers a test starts itself: the stand-ins, the containers' {@code httpd}. */
public final class FreePort {

    private FreePort() {
    }

    /** @return a port free on 127.0.0.1 when called; the caller binds it soon after */
    public static int onLoopback() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException failure) {
            throw new UncheckedIOException("no free port on 127.0.0.1", failure);
        }
    }
}
