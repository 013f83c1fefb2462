package dev.flowline.servicekit.problem;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

/**
 * A request announcing a body over {@code quarkus.http.limits.max-body-size} is answered here with a 413 problem
 * document, from its Content-Length alone, before anything reads the body. The HTTP layer would refuse it too, but
 * with an empty answer that is no problem document. A body streamed without a length is still cut by the HTTP layer's
 * own limit.
 */
@ApplicationScoped
public class BodyLimit {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    Optional<MemorySize> maxBodySize;

    @Inject
    ObjectMapper json;

    void install(@Observes Router router) {
        if (maxBodySize.isEmpty()) {
            return;
        }
        long limit = maxBodySize.get().asLongValue();
        // Before every other route, the HTTP layer's own limit check included.
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            String announced = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            long length;
            try {
                length = announced == null ? -1 : Long.parseLong(announced.trim());
            } catch (NumberFormatException e) {
                length = -1;
            }
            if (length <= limit) {
                context.next();
                return;
            }
            Problem problem = new Problem(ProblemType.PAYLOAD_TOO_LARGE.uri(), ProblemType.PAYLOAD_TOO_LARGE.title(),
                    413, "the request body is " + length + " bytes; this service reads at most " + limit,
                    safeInstance(context.request().path()), List.of(), null);
            String body;
            try {
                body = json.writeValueAsString(problem);
            } catch (JsonProcessingException e) {
                body = "{\"status\":413}";
            }
            // The unread body would follow on this connection: close it once answered.
            context.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(HttpHeaders.CONNECTION, "close").end(body).onComplete(sent -> context.request()
                            .connection().close());
        });
    }

    /** The path as the client sent it, as the other problem answers give it. */
    private static URI safeInstance(String rawPath) {
        try {
            return rawPath == null ? null : URI.create(rawPath);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
