package dev.flowline.uiconfig.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import dev.flowline.servicekit.problem.ProblemException;
import dev.flowline.servicekit.problem.ProblemType;

/**
 * task-service's API as ui-config-service reads it: a task and a task type, with the caller's own token (so a view
 * shows only what its user may read). A task or type that does not exist is null; any other failure is a 503 (the
 * view cannot be drawn or checked without it).
 */
@ApplicationScoped
public class TaskServiceClient {

    @ConfigProperty(name = "flowline.ui.tasks-url")
    String tasksUrl;

    @Inject
    ObjectMapper json;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(
            Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();

    /** {@code GET /api/tasks/{id}}; null when there is no such task. */
    public Uni<JsonNode> task(String id, String bearer) {
        return get("/api/tasks/" + encode(id), bearer);
    }

    /** {@code GET /api/task-types/{type}}; null when no published step declares it. */
    public Uni<JsonNode> taskType(String typeId, String bearer) {
        return get("/api/task-types/" + encode(typeId), bearer);
    }

    private Uni<JsonNode> get(String path, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(tasksUrl + path)).timeout(Duration.ofSeconds(
                10)).header("Accept", "application/json").GET();
        if (bearer != null) {
            request.header("Authorization", bearer);
        }
        Context context = Vertx.currentContext();
        Uni<JsonNode> answer = Uni.createFrom().completionStage(() -> client.sendAsync(request.build(),
                HttpResponse.BodyHandlers.ofByteArray())).map(response -> read(path, response)).onFailure(
                        e -> !(e instanceof ProblemException))
                .transform(e -> new ProblemException(
                        ProblemType.UNAVAILABLE, "task-service did not answer " + path + ": " + e));
        // Back on the caller's Vert.x context: what follows may use its reactive session.
        return context == null ? answer : answer.emitOn(command -> context.runOnContext(ignored -> command.run()));
    }

    private JsonNode read(String path, HttpResponse<byte[]> response) {
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new ProblemException(ProblemType.FORBIDDEN, "task-service refused " + path + " to this caller");
        }
        if (response.statusCode() != 200) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "task-service answered " + path + " with HTTP "
                    + response.statusCode());
        }
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "task-service answered " + path + " with no JSON");
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
