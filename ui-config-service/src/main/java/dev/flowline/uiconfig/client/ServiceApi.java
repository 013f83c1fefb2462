package dev.flowline.uiconfig.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import dev.flowline.servicekit.problem.ProblemException;
import dev.flowline.servicekit.problem.ProblemType;

/**
 * Reads of another Flowline service's API with the caller's own token, so ui-config-service shows a person only what
 * that person may read there: a 404 is null, a 401 or 403 a 403 problem, anything else that is not a 200 with JSON a
 * 503 (what needs the answer cannot be done without it).
 */
final class ServiceApi {

    private final String service;
    private final String baseUrl;
    private final ObjectMapper json;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(
            Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();

    ServiceApi(String service, String baseUrl, ObjectMapper json) {
        this.service = service;
        this.baseUrl = baseUrl;
        this.json = json;
    }

    /** {@code GET baseUrl + pathAndQuery} with {@code bearer} as the Authorization header; null on a 404. */
    Uni<JsonNode> get(String pathAndQuery, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(Duration
                .ofSeconds(10)).header("Accept", "application/json").GET();
        if (bearer != null) {
            request.header("Authorization", bearer);
        }
        Context context = Vertx.currentContext();
        Uni<JsonNode> answer = Uni.createFrom().completionStage(() -> client.sendAsync(request.build(),
                HttpResponse.BodyHandlers.ofByteArray())).map(response -> read(pathAndQuery, response)).onFailure(
                        e -> !(e instanceof ProblemException))
                .transform(e -> new ProblemException(ProblemType.UNAVAILABLE, service + " did not answer "
                        + pathAndQuery + ": " + e));
        // Back on the caller's Vert.x context: what follows may use its reactive session.
        return context == null ? answer : answer.emitOn(command -> context.runOnContext(ignored -> command.run()));
    }

    private JsonNode read(String path, HttpResponse<byte[]> response) {
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new ProblemException(ProblemType.FORBIDDEN, service + " refused " + path + " to this caller");
        }
        if (response.statusCode() != 200) {
            throw new ProblemException(ProblemType.UNAVAILABLE, service + " answered " + path + " with HTTP "
                    + response.statusCode());
        }
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new ProblemException(ProblemType.UNAVAILABLE, service + " answered " + path + " with no JSON");
        }
    }

    /** A path segment or query value, percent-encoded. */
    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
