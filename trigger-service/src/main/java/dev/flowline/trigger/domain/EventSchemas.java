package dev.flowline.trigger.domain;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.json.schema.JsonSchemaOptions;

import dev.flowline.catalogcache.CachedDefinition;
import dev.flowline.definitions.EventTypeDefinition;
import dev.flowline.servicekit.json.JsonSchemaValidation;
import dev.flowline.servicekit.json.PrecheckedSchema;
import dev.flowline.servicekit.problem.Problem.FieldError;

/**
 * Event-type schemas compiled once per version (and per catalog change), then reused for every event. Events are
 * validated in two steps (PrecheckedSchema): the cheap pre-check passes the valid ones, vertx-json-schema decides on
 * the rest and words their errors.
 */
@ApplicationScoped
public class EventSchemas {

    private final JsonSchemaOptions options = JsonSchemaValidation.options("https://flowline.dev/events/");
    private final Map<String, PrecheckedSchema> compiled = new ConcurrentHashMap<>();

    /** Schema errors of {@code data} against the event type's schema, pointers below {@code /data}. */
    public List<FieldError> validate(CachedDefinition<EventTypeDefinition> eventType, JsonNode data) {
        PrecheckedSchema schema = compiled.computeIfAbsent(eventType.messageId().toString(),
                id -> PrecheckedSchema.compile(eventType.definition().schema(), options));
        return schema.validate(data, "/data");
    }

    /** Errors of {@code document} against a schema compiled for this one call (command parameters). */
    public List<FieldError> validateAgainst(JsonNode schema, JsonNode document, String pointer) {
        return JsonSchemaValidation.validate(JsonSchemaValidation.compile(schema, options), document, pointer);
    }
}
