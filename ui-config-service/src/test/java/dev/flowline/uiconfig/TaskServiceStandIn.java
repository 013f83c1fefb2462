package dev.flowline.uiconfig;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpServer;

/**
 * task-service's two reads that ui-config-service makes ({@code GET /api/tasks/{id}}, {@code GET
 * /api/task-types/{type}}), answering what a test put here, and refusing a call without a bearer token as
 * task-service would; and, for the renderer in a browser, the claim and resolve it sends (recorded in
 * {@link #RESOLVED}), with CORS for the page's origin. The real task-service answers all of them in
 * {@code LocalRunSystemTest}.
 */
public class TaskServiceStandIn extends StandInServer {

    public static final Map<String, String> TASKS = new ConcurrentHashMap<>();
    public static final Map<String, String> TYPES = new ConcurrentHashMap<>();
    /** The body of each resolve, by task id. */
    public static final Map<String, String> RESOLVED = new ConcurrentHashMap<>();

    @Override
    Map<String, String> serve(HttpServer server, String baseUrl) {
        server.createContext("/api/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            exchange.getResponseHeaders().add("Access-Control-Allow-Origin", "*");
            exchange.getResponseHeaders().add("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept");
            exchange.getResponseHeaders().add("Access-Control-Allow-Methods", "GET, POST");
            String body = null;
            int status;
            if (exchange.getRequestMethod().equals("OPTIONS")) {
                status = 204;
            } else if (auth == null || !auth.startsWith("Bearer ")) {
                status = 401;
            } else if (exchange.getRequestMethod().equals("POST") && path.startsWith("/api/tasks/")) {
                String[] parts = path.substring("/api/tasks/".length()).split("/");
                String sent = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                if (parts.length == 2 && parts[1].equals("resolve")) {
                    RESOLVED.put(parts[0], sent);
                }
                body = TASKS.get(parts[0]);
                status = body == null ? 404 : 200;
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
            exchange.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
            if (status != 204) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        return Map.of("flowline.ui.tasks-url", baseUrl);
    }
}
