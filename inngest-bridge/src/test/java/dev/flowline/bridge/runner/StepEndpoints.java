package dev.flowline.bridge.runner;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import dev.flowline.embedded.LocalHttpServer;

/**
 * The users' step functions, as the tests need them: an HTTP server whose paths answer by a behaviour the test sets,
 * recording every call (path, Idempotency-Key header, payload).
 */
final class StepEndpoints implements AutoCloseable {

    /** What a step answered: an HTTP status and a JSON body. */
    record Answer(int status, String body) {
        static Answer output(String outputJson) {
            return new Answer(200, "{\"output\": " + outputJson + "}");
        }

        static Answer error(String code, String dataJson) {
            return new Answer(422, "{\"error\": {\"code\": \"" + code + "\", \"message\": \"" + code.toLowerCase()
                    + "\", \"data\": " + dataJson + "}}");
        }
    }

    /** One call a step endpoint received. */
    record Call(String path, String idempotencyKey, JsonNode payload) {
        String runId() {
            return payload.path("context").path("runId").asText();
        }

        int attempt() {
            return payload.path("context").path("attempt").asInt();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final Map<String, Function<JsonNode, Answer>> behaviours = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    StepEndpoints() throws IOException {
        server = LocalHttpServer.create(0, 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            JsonNode payload = JSON.readTree(body);
            String path = exchange.getRequestURI().getPath();
            calls.add(new Call(path, exchange.getRequestHeaders().getFirst("Idempotency-Key"), payload));
            Function<JsonNode, Answer> behaviour = behaviours.get(path);
            Answer answer = behaviour == null ? new Answer(404, "{}") : behaviour.apply(payload);
            byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), out.length);
            try (OutputStream stream = exchange.getResponseBody()) {
                stream.write(out);
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    String url(String path) {
        return "http://localhost:" + server.getAddress().getPort() + path;
    }

    void on(String path, Function<JsonNode, Answer> behaviour) {
        behaviours.put(path, behaviour);
    }

    List<Call> calls(String path) {
        return calls.stream().filter(c -> c.path().equals(path)).toList();
    }

    List<Call> calls(String path, String runId) {
        return calls.stream().filter(c -> c.path().equals(path) && c.runId().equals(runId)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
