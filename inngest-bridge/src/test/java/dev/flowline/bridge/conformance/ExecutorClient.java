package dev.flowline.bridge.conformance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The dev executor as the tests use it: the Event API, Inngest's REST API ({@code /v1}) and the executor's own run
 * detail ({@code /dev}).
 */
public final class ExecutorClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String origin;

    public ExecutorClient(int port) {
        this.origin = "http://localhost:" + port;
    }

    public JsonNode get(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(origin + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A GET answered whatever its status. */
    public HttpResponse<String> getResponse(String path) {
        return exchange(HttpRequest.newBuilder(URI.create(origin + path)).build());
    }

    /** POSTs JSON; answers the status and the body. */
    public HttpResponse<String> postJson(String path, String body) {
        return exchange(HttpRequest.newBuilder(URI.create(origin + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** The run {@code runId} once it satisfies {@code until}. */
    public JsonNode awaitRunById(String runId, Predicate<JsonNode> until, Duration timeout) {
        java.time.Instant deadline = java.time.Instant.now().plus(timeout);
        JsonNode last = null;
        while (java.time.Instant.now().isBefore(deadline)) {
            last = get("/dev/runs/" + runId);
            if (last != null && until.test(last)) {
                return last;
            }
            sleep(200);
        }
        throw new AssertionError("run " + runId + " not as expected within " + timeout + "; last seen: " + last);
    }

    /** DELETE (cancelling a run: {@code /v1/runs/<id>}); answers the status. */
    public int delete(String path) {
        return exchange(HttpRequest.newBuilder(URI.create(origin + path)).DELETE().build()).statusCode();
    }

    /** A sync as an SDK sends it ({@code POST /fn/register}); answers the status and the body. */
    public HttpResponse<String> register(String payload) {
        return postJson("/fn/register", payload);
    }

    private HttpResponse<String> exchange(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public JsonNode send(String eventJson) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(origin + "/e/dev"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(eventJson))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the Event API answered " + response.statusCode() + ": "
                        + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The run of {@code functionId} started by event {@code eventId}, once it satisfies {@code until}. */
    public JsonNode awaitRun(String functionId, String eventId, Predicate<JsonNode> until, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            JsonNode runs = get("/dev/runs?event=" + eventId + "&function=" + functionId);
            if (runs != null && runs.path("data").size() > 0) {
                last = get("/dev/runs/" + runs.path("data").get(0).path("runId").asText());
                if (last != null && until.test(last)) {
                    return last;
                }
            }
            sleep(100);
        }
        throw new AssertionError("run of " + functionId + " for event " + eventId + " not as expected within "
                + timeout + "; last seen: " + last);
    }

    public boolean healthy() {
        return get("/health") != null;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
