package dev.flowline.servicekit.json;

import java.util.ArrayList;
import java.util.List;

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

/**
 * JSON Schema (draft 2020-12) validation with vertx-json-schema, its results as problem-detail errors. Every service
 * validates user documents this way, so a schema error reads the same everywhere.
 */
public final class JsonSchemaValidation {

    private JsonSchemaValidation() {
    }

    /** Options for user-supplied schemas: draft 2020-12, a flat list of errors. */
    public static JsonSchemaOptions options(String baseUri) {
        return new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri(baseUri)
                .setOutputFormat(OutputFormat.Basic);
    }

    /** Compiles a schema once; reuse the validator for every document. */
    public static Validator compile(JsonNode schema, JsonSchemaOptions options) {
        JsonSchema jsonSchema = schema.isBoolean()
                ? JsonSchema.of(schema.asBoolean())
                : JsonSchema.of(new JsonObject(schema.toString()));
        return Validator.create(jsonSchema, options);
    }

    /** Validates a Jackson document; errors point below {@code prefix}. */
    public static List<FieldError> validate(Validator validator, JsonNode document, String prefix) {
        return errors(validator.validate(toVertx(document)), prefix);
    }

    public static Object toVertx(JsonNode node) {
        return Json.decodeValue(node == null ? "null" : node.toString());
    }

    /** The errors of a validation result, each at its JSON pointer below {@code prefix}, without repeats. */
    public static List<FieldError> errors(OutputUnit result, String prefix) {
        List<FieldError> errors = new ArrayList<>();
        if (Boolean.TRUE.equals(result.getValid())) {
            return errors;
        }
        List<OutputUnit> units = result.getErrors() == null || result.getErrors().isEmpty()
                ? List.of(result)
                : result.getErrors();
        for (OutputUnit unit : units) {
            String location = unit.getInstanceLocation() == null ? "" : unit.getInstanceLocation();
            if (location.startsWith("#")) {
                location = location.substring(1);
            }
            FieldError error = new FieldError(prefix + location, unit.getError() == null
                    ? "invalid"
                    : unit.getError());
            if (!errors.contains(error)) {
                errors.add(error);
            }
        }
        return errors;
    }
}
