package dev.flowline.uiconfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.flowline.embedded.LocalHttpServer;

/**
 * task-service's two reads that ui-config-service makes ({@code GET /api/tasks/{id}}, {@code GET
 * /api/task-types/{type}}), answering what a test put here, and refusing a call without a bearer token as
 * task-service would. The real task-service answers them in {@code LocalRunSystemTest}.
 */
public class TaskServiceStandIn implements QuarkusTestResourceLifecycleManager {

    public static final Map<String, String> TASKS = new ConcurrentHashMap<>();
    public static final Map<String, String> TYPES = new ConcurrentHashMap<>();

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = LocalHttpServer.create(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/api/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String body = null;
            int status;
            if (auth == null || !auth.startsWith("Bearer ")) {
                status = 401;
            } else {
                body = path.startsWith("/api/tasks/")
                        ? TASKS.get(path.substring("/api/tasks/".length()))
                        : path.startsWith("/api/task-types/")
                                ? TYPES.get(java.net.URLDecoder.decode(path.substring("/api/task-types/".length()),
                                        StandardCharsets.UTF_8))
                                : null;
                status = body == null ? 404 : 200;
            }
            byte[] bytes = (body == null ? "{}" : body).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return Map.of("flowline.ui.tasks-url", "http://localhost:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
