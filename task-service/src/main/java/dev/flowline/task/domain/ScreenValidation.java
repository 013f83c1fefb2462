package dev.flowline.task.domain;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import dev.flowline.servicekit.problem.Problem.FieldError;
import dev.flowline.servicekit.problem.ProblemException;
import dev.flowline.servicekit.problem.ProblemType;

/**
 * The data a person submits on a task's screen, validated where the screen is described: ui-config-service's one
 * validation ({@code POST /api/task-views/{id}/validate}), called with the person's token before a resolve changes
 * anything. Its messages come back at {@code /data/…}. Without {@code flowline.tasks.ui-url} (a task-service on its
 * own, its tests) or without {@code data} in the resolve, only the task type's schemas check the resolution.
 */
@ApplicationScoped
public class ScreenValidation {

    @ConfigProperty(name = "flowline.tasks.ui-url")
    Optional<String> uiUrl;

    @Inject
    ObjectMapper json;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(
            Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();

    public Uni<List<FieldError>> problems(UUID taskId, JsonNode data, Actor actor) {
        if (uiUrl.isEmpty() || data == null) {
            return Uni.createFrom().item(List.of());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uiUrl.get() + "/api/task-views/" + taskId
                + "/validate")).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json").header(
                        "Accept", "application/json");
        if (actor.bearer() != null) {
            request.header("Authorization", actor.bearer());
        }
        byte[] body;
        try {
            body = json.writeValueAsBytes(json.createObjectNode().set("data", data));
        } catch (IOException e) {
            return Uni.createFrom().failure(e);
        }
        Context context = Vertx.currentContext();
        Uni<List<FieldError>> answer = Uni.createFrom().completionStage(() -> client.sendAsync(request.POST(
                HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray())).map(
                        this::read)
                .onFailure(e -> !(e instanceof ProblemException)).transform(e -> new ProblemException(
                        ProblemType.UNAVAILABLE, "the task's screen could not validate the data (" + e
                                + "); nothing changed, try again"));
        // Back on the caller's Vert.x context: the resolve's transaction follows.
        return context == null ? answer : answer.emitOn(command -> context.runOnContext(ignored -> command.run()));
    }

    private List<FieldError> read(HttpResponse<byte[]> response) {
        if (response.statusCode() != 200) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "the task's screen could not validate the data "
                    + "(ui-config-service answered HTTP " + response.statusCode() + "); nothing changed, try again");
        }
        try {
            JsonNode answer = json.readTree(response.body());
            List<FieldError> errors = new ArrayList<>();
            for (JsonNode error : answer.path("errors")) {
                errors.add(new FieldError("/data" + error.path("pointer").asText(), error.path("message").asText()));
            }
            return errors;
        } catch (IOException e) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "ui-config-service answered the validation with no "
                    + "JSON; nothing changed, try again");
        }
    }
}
