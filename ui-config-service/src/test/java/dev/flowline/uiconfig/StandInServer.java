package dev.flowline.uiconfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.flowline.embedded.LocalHttpServer;

/** A local HTTP server standing in for another Flowline service's API in this module's tests. */
abstract class StandInServer implements QuarkusTestResourceLifecycleManager {

    private HttpServer server;

    /** Adds the server's contexts; answers the properties that point ui-config-service at {@code baseUrl}. */
    abstract Map<String, String> serve(HttpServer server, String baseUrl);

    @Override
    public final Map<String, String> start() {
        try {
            server = LocalHttpServer.create(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> properties = serve(server, "http://localhost:" + server.getAddress().getPort());
        server.start();
        return properties;
    }

    @Override
    public final void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
