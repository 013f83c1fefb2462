package dev.flowline.servicekit.json;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonPointer;
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
 * validates user documents this way, so a schema error reads the same everywhere: one error per problem, at the
 * offending value, naming the constraint and the expected form ({@link SchemaMessages}).
 */
public final class JsonSchemaValidation {

    private JsonSchemaValidation() {
    }

    /**
     * A validator and the schemas its keyword locations point into, so that an error can quote the constraint (the
     * pattern, the allowed values, the known properties).
     *
     * @param schemaAt the schema object that holds the keyword at an absolute keyword location, or null
     */
    public record DescribedValidator(Validator delegate, Function<String, JsonNode> schemaAt) implements Validator {
        @Override
        public OutputUnit validate(Object instance) {
            return delegate.validate(instance);
        }
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
        return new DescribedValidator(Validator.create(jsonSchema, options), location -> holder(schema, location));
    }

    /**
     * A validator from a schema repository, described by the schemas it was built from (by their URIs), so that its
     * errors quote their constraints as well.
     */
    public static Validator described(Validator validator, Map<String, JsonNode> schemasByUri) {
        return new DescribedValidator(validator, location -> {
            int hash = location.indexOf('#');
            JsonNode schema = schemasByUri.get(hash < 0 ? location : location.substring(0, hash));
            return schema == null ? null : holder(schema, location);
        });
    }

    /** The schema object that holds the keyword an absolute keyword location ends with. */
    private static JsonNode holder(JsonNode root, String location) {
        int hash = location.indexOf('#');
        String pointer = hash < 0 ? "" : location.substring(hash + 1);
        int last = pointer.lastIndexOf('/');
        if (last < 0) {
            return null;
        }
        try {
            JsonNode node = root.at(JsonPointer.compile(pointer.substring(0, last)));
            return node.isObject() ? node : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Validates a Jackson document; errors point below {@code prefix}. */
    public static List<FieldError> validate(Validator validator, JsonNode document, String prefix) {
        OutputUnit result = validator.validate(toVertx(document));
        return SchemaMessages.errors(result, prefix, validator instanceof DescribedValidator described
                ? described.schemaAt()
                : location -> null);
    }

    /** A schema's text as a tree, to describe a repository validator by ({@link #described}). */
    public static JsonNode parse(String schemaText) {
        try {
            return PARSER.readTree(schemaText);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a JSON schema document: " + e.getMessage(), e);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper PARSER = new com.fasterxml.jackson.databind.ObjectMapper();

    public static Object toVertx(JsonNode node) {
        return Json.decodeValue(node == null ? "null" : node.toString());
    }
}
