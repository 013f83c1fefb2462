package dev.flowline.uiconfig.benchmark;

import static io.restassured.RestAssured.given;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.flowline.embedded.LocalHttpServer;
import dev.flowline.servicekit.security.Roles;
import dev.flowline.testkit.Tokens;
import dev.flowline.uiconfig.TaskServiceStandIn;

/**
 * Load driver for resolving a task's screen (not a test: it asserts nothing and is left out of the build's test run;
 * {@code ./mvnw verify -pl ui-config-service -Pview-resolution}). The view has two lookups whose HTTP sources answer
 * after {@code sourceDelayMs} (5 ms); each {@code GET /api/task-views/{id}} reads the task from a stand-in of
 * task-service, the view and the sources from PostgreSQL, and asks both sources for their first page. It prints the
 * latency percentiles for {@code clients} callers (1 and 4), {@code requests} each after a warm-up.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ViewResolutionDriver {

    private static final int REQUESTS = Integer.getInteger("requests", 2000);
    private static final int WARMUP = Integer.getInteger("warmup", 500);
    private static final int SOURCE_DELAY_MS = Integer.getInteger("sourceDelayMs", 5);
    private static final int[] CLIENTS = {1, 4};

    @TestHTTPResource("/")
    URL base;

    HttpServer sources;
    String taskId;
    String rentalsSource;
    String staticSource;

    /** Called from the test: RestAssured knows the app's port from then on, not in a BeforeAll. */
    void aViewWithTwoSlowLookups() throws Exception {
        sources = LocalHttpServer.create(0, 32);
        for (String path : List.of("/rentals", "/hosts")) {
            sources.createContext(path, exchange -> {
                try {
                    Thread.sleep(SOURCE_DELAY_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                StringBuilder items = new StringBuilder();
                for (int i = 1; i <= 10; i++) {
                    items.append(i == 1 ? "" : ", ").append("{\"id\": \"").append(i).append("\", \"name\": \"")
                            .append(path.substring(1)).append(' ').append(i).append("\"}");
                }
                byte[] body = ("{\"results\": [" + items + "]}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
        }
        // A thread per exchange, so the two lookups' calls overlap at the sources as they do in the service.
        sources.setExecutor(Executors.newCachedThreadPool());
        sources.start();
        String editor = Tokens.forUser("edna", Roles.EDITOR);
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        rentalsSource = "rentals-" + suffix;
        for (String source : List.of("rentals", "hosts")) {
            given().auth().oauth2(editor).contentType("application/json").body("""
                    {"kind": "http", "url": "http://localhost:%d/%s?q={q}&page={page}&size={size}",
                     "items": "$.results", "value": "id", "label": "name"}""".formatted(sources.getAddress()
                    .getPort(), source)).put("/api/data-sources/" + source + "-" + suffix).then().statusCode(200);
        }
        staticSource = "modes-" + suffix;
        given().auth().oauth2(editor).contentType("application/json").body("""
                {"kind": "static", "items": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]}""").put(
                "/api/data-sources/" + staticSource).then().statusCode(200);
        TaskServiceStandIn.TYPES.put("bench:CODE", """
                {"id": "bench:CODE", "code": "CODE", "message": "Benchmark", "allowedActions": ["retry"],
                 "dataSchema": {"type": "object"}, "inputSchema": {"type": "object"}}""");
        String view = """
                {"title": "Two lookups", "taskTypes": ["bench:CODE"],
                 "schema": {"type": "object", "properties": {"rental": {"type": "string"},
                                                            "host": {"type": "string"}}},
                 "initial": {"rental": "$.task.errorData.rental"},
                 "layout": [{"type": "lookup", "label": "Rental", "bind": "/rental",
                             "dataSource": {"name": "rentals-%1$s"}},
                            {"type": "lookup", "label": "Host", "bind": "/host", "dataSource": {"name": "hosts-%1$s"}},
                            {"type": "button", "action": "retry"}]}""".formatted(suffix);
        String url = "/api/views/bench-" + suffix + "/versions/1";
        given().auth().oauth2(editor).contentType("application/json").body(view).put(url).then().statusCode(201);
        given().auth().oauth2(editor).post(url + "/publish").then().statusCode(200);
        taskId = UUID.randomUUID().toString();
        TaskServiceStandIn.TASKS.put(taskId, """
                {"id": "%s", "title": "Benchmark", "status": "open", "taskType": "bench:CODE", "errorCode": "CODE",
                 "errorData": {"rental": "3"}, "stepInput": {}, "createdAt": "%s"}""".formatted(taskId, Instant
                .now().plusSeconds(1)));
    }

    @AfterAll
    void stop() {
        if (sources != null) {
            sources.stop(0);
        }
    }

    @Test
    void resolveTheScreen() throws Exception {
        aViewWithTwoSlowLookups();
        String token = Tokens.forUser("vera", Roles.VIEWER);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "api/task-views/" + taskId)).header(
                "Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<String> first = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (first.statusCode() != 200 || !first.body().contains("\"label\":\"rentals 3\"")) {
            throw new IllegalStateException("the screen did not resolve with its lookups: " + first.body());
        }
        List<String> report = new ArrayList<>();
        // Where the time goes: the parts of a screen asked one by one, by one client.
        String bearer = "Bearer " + token;
        Map<String, HttpRequest> parts = new LinkedHashMap<>();
        parts.put("health check (no token, no database)", get(base + "q/health/live", null));
        parts.put("/api/me (the token checked)", get(base + "api/me", bearer));
        parts.put("task-service stand-in, direct", get(ConfigProvider.getConfig().getValue("flowline.ui.tasks-url",
                String.class) + "/api/tasks/" + taskId, bearer));
        parts.put("a static source's query (the token, one database read)", get(base + "api/data-sources/"
                + staticSource + "/query", bearer));
        parts.put("an HTTP source, direct (its delay included)", get("http://localhost:" + sources.getAddress()
                .getPort() + "/rentals?q=&page=0&size=10", null));
        parts.put("an HTTP source's query via the service", get(base + "api/data-sources/" + rentalsSource
                + "/query", bearer));
        for (Map.Entry<String, HttpRequest> part : parts.entrySet()) {
            measure(client, part.getValue(), 1, WARMUP / 2);
            long[] nanos = measure(client, part.getValue(), 1, REQUESTS / 2);
            Arrays.sort(nanos);
            report.add(String.format(Locale.ROOT, "  part: %s: p50 %.1f ms, p99 %.1f ms", part.getKey(), ms(nanos,
                    0.5), ms(nanos, 0.99)));
        }
        for (int clients : CLIENTS) {
            measure(client, request, clients, WARMUP);
            Instant start = Instant.now();
            long[] nanos = measure(client, request, clients, REQUESTS);
            double seconds = Duration.between(start, Instant.now()).toNanos() / 1e9;
            Arrays.sort(nanos);
            report.add(String.format(Locale.ROOT, "%d client(s), %d requests: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, "
                    + "max %.1f ms, %.0f screens/s", clients, nanos.length, ms(nanos, 0.50), ms(nanos, 0.90),
                    ms(nanos,
                            0.99),
                    nanos[nanos.length - 1] / 1e6, nanos.length / seconds));
        }
        System.out.printf("%n== Task screen with two lookups (sources answer in %d ms) ==%n", SOURCE_DELAY_MS);
        report.forEach(System.out::println);
        System.out.println();
    }

    private static long[] measure(HttpClient client, HttpRequest request, int clients, int perClient)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<long[]>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                futures.add(pool.submit(() -> {
                    long[] own = new long[perClient];
                    for (int i = 0; i < perClient; i++) {
                        long start = System.nanoTime();
                        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                        own[i] = System.nanoTime() - start;
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
                        }
                    }
                    return own;
                }));
            }
            long[] all = new long[clients * perClient];
            for (int c = 0; c < clients; c++) {
                System.arraycopy(futures.get(c).get(), 0, all, c * perClient, perClient);
            }
            return all;
        } finally {
            pool.shutdown();
        }
    }

    private static HttpRequest get(String url, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        return (bearer == null ? request : request.header("Authorization", bearer)).build();
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }
}
