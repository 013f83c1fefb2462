package dev.flowline.uiconfig;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/**
 * catalog-service's list ({@code GET /api/<collection>}) as catalog data sources call it: it answers the page a test
 * put for the collection and records each call (its path and query, and its Authorization header), so a test sees
 * what was asked and with whose token. What the real list answers is proved in catalog-service's
 * {@code CatalogApiTest} and, through ui-config-service, in {@code LocalRunSystemTest}.
 */
public class CatalogStandIn extends StandInServer {

    /** A call as it arrived. */
    public record Call(String pathAndQuery, String authorization) {
    }

    /** The answer by collection path ({@code /api/workflows}). */
    public static final Map<String, String> PAGES = new ConcurrentHashMap<>();
    public static final List<Call> CALLS = new CopyOnWriteArrayList<>();

    @Override
    Map<String, String> serve(HttpServer server, String baseUrl) {
        server.createContext("/api/", exchange -> {
            CALLS.add(new Call(exchange.getRequestURI().toString(), exchange.getRequestHeaders().getFirst(
                    "Authorization")));
            String page = PAGES.get(exchange.getRequestURI().getPath());
            byte[] body = (page == null ? "{}" : page).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(page == null ? 404 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        return Map.of("flowline.ui.catalog-url", baseUrl);
    }
}
