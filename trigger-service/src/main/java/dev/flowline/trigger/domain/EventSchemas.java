package dev.flowline.trigger.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;

import dev.flowline.servicekit.problem.Problem.FieldError;
import dev.flowline.trigger.persistence.CatalogCacheEntry;

/** Event-type schemas compiled once per version (and per catalog change), then reused for every event. */
@ApplicationScoped
public class EventSchemas {

    private final JsonSchemaOptions options = new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
            .setBaseUri("https://flowline.dev/events/").setOutputFormat(OutputFormat.Basic);
    private final Map<String, Validator> compiled = new ConcurrentHashMap<>();

    /** Schema errors of {@code data} against the event type's schema, pointers below {@code /data}. */
    public List<FieldError> validate(CatalogCacheEntry eventType, JsonNode data) {
        Validator validator = compiled.computeIfAbsent(eventType.messageId.toString(),
                id -> compile(eventType.definition.path("schema")));
        return errors(validator, data, "/data");
    }

    /** Errors of {@code document} against a schema compiled for this one call (command parameters). */
    public List<FieldError> validateAgainst(JsonNode schema, JsonNode document, String pointer) {
        return errors(compile(schema), document, pointer);
    }

    private Validator compile(JsonNode schema) {
        JsonSchema jsonSchema = schema.isBoolean()
                ? JsonSchema.of(schema.asBoolean())
                : JsonSchema.of(new JsonObject(schema.toString()));
        return Validator.create(jsonSchema, options);
    }

    private static List<FieldError> errors(Validator validator, JsonNode data, String prefix) {
        OutputUnit result = validator.validate(Json.decodeValue(data == null ? "null" : data.toString()));
        List<FieldError> errors = new ArrayList<>();
        if (Boolean.TRUE.equals(result.getValid())) {
            return errors;
        }
        List<OutputUnit> units = result.getErrors() == null || result.getErrors().isEmpty()
                ? List.of(result)
                : result.getErrors();
        for (OutputUnit unit : units) {
            String location = unit.getInstanceLocation() == null
                    ? ""
                    : unit.getInstanceLocation().replaceFirst("^#",
                            "");
            errors.add(new FieldError(prefix + location, unit.getError()));
        }
        return errors;
    }
}
