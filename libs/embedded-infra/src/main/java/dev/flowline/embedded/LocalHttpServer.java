package dev.flowline.embedded;

import java.io.IOException;
import java.net.InetSocketAddress;

import com.sun.net.httpserver.HttpServer;

/**
 * The JDK's HTTP server for local stand-ins (the token issuer, test step endpoints) with TCP_NODELAY on. The JDK
 * server writes an answer's headers and body separately; with Nagle's algorithm on, every small answer waits for the
 * client's delayed ACK (about 40 ms on Linux), which measured as a 26-45 ms "step call" against a no-op endpoint.
 */
public final class LocalHttpServer {

    /** Read once, when the JDK server's configuration class loads: set before the first server is made. */
    static final String NO_DELAY = "sun.net.httpserver.nodelay";

    private LocalHttpServer() {
    }

    /** An unstarted server bound to {@code localhost:port} (0: any free port). */
    public static HttpServer create(int port, int backlog) throws IOException {
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
        return HttpServer.create(new InetSocketAddress("localhost", port), backlog);
    }
}
