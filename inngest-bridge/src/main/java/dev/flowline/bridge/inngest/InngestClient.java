package dev.flowline.bridge.inngest;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.flowline.inngest.protocol.Signatures;

/**
 * The SDK's outgoing calls: the Event API ({@code POST /e/<event key>}), app registration
 * ({@code POST /fn/register}), checkpoints of the steps a call ran ({@code POST /v1/checkpoint/<run>/async}) and,
 * for trimmed call requests, the run's events and steps. Requests to the API carry
 * the hashed signing key as bearer token and retry once with the fallback key.
 */
@ApplicationScoped
public class InngestClient implements EventSender, Checkpointer {

    @Inject
    InngestSettings settings;

    @Inject
    ObjectMapper json;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Failure of a call to Inngest, with what it answered. */
    public static final class InngestException extends IOException {
        private final int status;

        public InngestException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /**
     * Sends events; one without an {@code id} gets a random one, one without {@code ts} the current time. The id is
     * the event's idempotency key on Inngest: a resend starts no second run of a function within 24 hours, but it is
     * still stored and still matched against waits.
     *
     * @return the ids the Event API answered: Inngest's own ids of the stored events, not the ids sent
     */
    @Override
    public List<String> send(List<JsonNode> events) throws IOException, InterruptedException {
        ArrayNode payload = json.createArrayNode();
        for (JsonNode event : events) {
            if (!event.isObject() || !event.path("name").isTextual() || event.path("name").asText().isBlank()) {
                throw new IllegalArgumentException("an event needs a name: " + event);
            }
            ObjectNode copy = ((ObjectNode) event).deepCopy();
            if (!copy.path("id").isTextual() || copy.path("id").asText().isBlank()) {
                copy.put("id", UUID.randomUUID().toString());
            }
            if (!copy.has("ts")) {
                copy.put("ts", System.currentTimeMillis());
            }
            if (!copy.has("data")) {
                copy.putObject("data");
            }
            payload.add(copy);
        }
        String url = settings.eventOrigin() + "/e/" + URLEncoder.encode(settings.eventKey(), StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("X-Inngest-Sdk", Execution.SDK)
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(payload)));
        settings.env().ifPresent(env -> request.header("X-Inngest-Env", env));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new InngestException(response.statusCode(), "the Event API answered " + response.statusCode()
                    + ": " + response.body());
        }
        List<String> ids = new ArrayList<>();
        json.readTree(response.body()).path("ids").forEach(id -> ids.add(id.asText()));
        if (ids.size() != payload.size()) {
            throw new InngestException(response.statusCode(), "the Event API answered " + ids.size() + " ids for "
                    + payload.size() + " events: " + response.body());
        }
        return ids;
    }

    /** Registers the app's functions ({@code deployId} passed through); answers Inngest's reply. */
    public JsonNode register(JsonNode payload, String deployId, String expectedServerKind)
            throws IOException, InterruptedException {
        String url = settings.apiOrigin() + "/fn/register" + (deployId == null || deployId.isBlank()
                ? ""
                : "?deployId=" + URLEncoder.encode(deployId, StandardCharsets.UTF_8));
        HttpResponse<String> response = withAuth(url, "POST", json.writeValueAsBytes(payload), expectedServerKind);
        if (response.statusCode() != 200) {
            String message = response.body();
            try {
                JsonNode error = json.readTree(response.body());
                message = error.path("error").asText(message);
            } catch (IOException ignored) {
                // Not JSON: the body is the message.
            }
            throw new InngestException(response.statusCode(), message);
        }
        return response.body().isBlank() ? json.createObjectNode() : json.readTree(response.body());
    }

    /**
     * Cancels a run (Inngest's REST API, {@code DELETE /v1/runs/{id}}): its open waits and sleeps end and no step of
     * it runs again. Answers false when Inngest knows no such run.
     */
    public boolean cancelRun(String runId) throws IOException, InterruptedException {
        HttpResponse<String> response = withAuth(settings.apiOrigin() + "/v1/runs/" + URLEncoder.encode(runId,
                StandardCharsets.UTF_8), "DELETE", null, null);
        if (response.statusCode() == 404) {
            return false;
        }
        if (response.statusCode() / 100 != 2) {
            throw new InngestException(response.statusCode(), "could not cancel run " + runId + ": " + response
                    .body());
        }
        return true;
    }

    /** Memoizes the steps a call ran, with the fields the official SDK sends; 409 is a stale dispatch. */
    @Override
    public void checkpoint(Checkpoint checkpoint) throws IOException, InterruptedException, StaleDispatch {
        ObjectNode body = json.createObjectNode();
        body.put("run_id", checkpoint.runId());
        body.put("fn_id", checkpoint.functionId());
        body.put("qi_id", checkpoint.queueItemId());
        body.set("steps", checkpoint.steps());
        body.put("ts", System.currentTimeMillis());
        long started = System.nanoTime();
        HttpResponse<String> response = withAuth(settings.apiOrigin() + "/v1/checkpoint/" + URLEncoder.encode(
                checkpoint.runId(), StandardCharsets.UTF_8) + "/async", "POST", json.writeValueAsBytes(body), null);
        long elapsed = System.nanoTime() - started;
        io.micrometer.core.instrument.Timer.builder("flowline.inngest.checkpoint").description(
                "reporting the steps a call ran to Inngest, one checkpoint").register(registry).record(elapsed,
                        java.util.concurrent.TimeUnit.NANOSECONDS);
        if (response.statusCode() == 409) {
            throw new StaleDispatch(response.body());
        }
        if (response.statusCode() / 100 != 2) {
            throw new InngestException(response.statusCode(), "the checkpoint of run " + checkpoint.runId()
                    + " was refused (" + response.statusCode() + "): " + response.body());
        }
    }

    /** The run's events and memoized steps, for a call request the server trimmed. */
    public Map<String, JsonNode> runState(String runId) throws IOException, InterruptedException {
        String base = settings.apiOrigin() + "/v0/runs/" + URLEncoder.encode(runId, StandardCharsets.UTF_8);
        HttpResponse<String> batch = withAuth(base + "/batch", "GET", null, null);
        HttpResponse<String> actions = withAuth(base + "/actions", "GET", null, null);
        if (batch.statusCode() != 200 || actions.statusCode() != 200) {
            throw new InngestException(batch.statusCode() != 200 ? batch.statusCode() : actions.statusCode(),
                    "could not fetch the state of run " + runId);
        }
        return Map.of("events", json.readTree(batch.body()), "steps", json.readTree(actions.body()));
    }

    private HttpResponse<String> withAuth(String url, String method, byte[] body, String expectedServerKind)
            throws IOException, InterruptedException {
        List<String> keys = settings.signingKeys();
        HttpResponse<String> response = null;
        for (int i = 0; i < Math.max(1, keys.size()); i++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("X-Inngest-Sdk", Execution.SDK).header("Content-Type", "application/json")
                    .method(method, body == null
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            if (!keys.isEmpty()) {
                request.header("Authorization", "Bearer " + Signatures.hashedSigningKey(keys.get(i)));
            }
            if (expectedServerKind != null) {
                request.header("X-Inngest-Expected-Server-Kind", expectedServerKind);
            }
            settings.env().ifPresent(env -> request.header("X-Inngest-Env", env));
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 401 && response.statusCode() != 403) {
                return response;
            }
        }
        return response;
    }
}
