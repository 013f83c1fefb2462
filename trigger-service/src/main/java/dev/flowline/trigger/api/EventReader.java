package dev.flowline.trigger.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import dev.flowline.servicekit.problem.Problem.FieldError;
import dev.flowline.servicekit.problem.ProblemException;
import dev.flowline.servicekit.problem.ProblemType;
import dev.flowline.trigger.domain.DomainEvent;

/**
 * Reads events posted over HTTP: one event, a list of them, or the legacy {@code events.trigger} envelope. An event
 * is CloudEvents JSON ({@code specversion}, {@code id}, {@code type}, {@code source}, {@code data}, optional
 * {@code subject}, {@code time}, {@code dataschema}, {@code dataversion}).
 */
public final class EventReader {

    /** An event with where it was in the request. */
    public record Received(DomainEvent event, String raw, String pointer) {
    }

    private EventReader() {
    }

    /** Reads one event or a list of them of any length (the caller checks the count). */
    public static List<Received> read(JsonNode body) {
        return read(body, Integer.MAX_VALUE);
    }

    /**
     * @param maxBatch the most events one request may carry; a longer batch is refused whole (413) before any is read
     */
    public static List<Received> read(JsonNode body, int maxBatch) {
        List<Received> events = new ArrayList<>();
        if (body != null && body.isArray() && body.size() > maxBatch) {
            String detail = "a batch carries at most " + maxBatch + " events; this one has " + body.size()
                    + ": send it in parts";
            throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, detail, List.of(new FieldError("", detail)));
        }
        if (body != null && body.isArray()) {
            for (int i = 0; i < body.size(); i++) {
                events.add(one(body.get(i), "/" + i));
            }
        } else {
            events.add(one(body, ""));
        }
        return events;
    }

    private static Received one(JsonNode json, String pointer) {
        String raw = json == null ? "null" : json.toString();
        int size = raw.getBytes(StandardCharsets.UTF_8).length;
        if (json == null || !json.isObject()) {
            return new Received(new DomainEvent(null, null, null, null, null, null, null, size), raw, pointer);
        }
        if ("events.trigger".equals(json.path("name").asText())) {
            // The legacy envelope: data.event_type, data.source_workflow, data.data. It had no event id.
            JsonNode data = json.path("data");
            String id = text(data, "id") != null
                    ? text(data, "id")
                    : text(json, "id") != null ? text(json, "id") : UUID.randomUUID().toString();
            return new Received(new DomainEvent(id, text(data, "event_type"), text(data, "source_workflow"), null,
                    null, text(data, "event_version"), data.get("data"), size), raw, pointer);
        }
        return new Received(new DomainEvent(text(json, "id"), text(json, "type"), text(json, "source"),
                text(json, "subject"), text(json, "time"), DomainEvent.dataVersion(text(json, "dataversion"),
                        text(json, "dataschema")),
                json.get("data"), size), raw, pointer);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
