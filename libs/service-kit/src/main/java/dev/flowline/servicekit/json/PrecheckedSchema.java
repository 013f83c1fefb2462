package dev.flowline.servicekit.json;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.Validator;

import dev.flowline.servicekit.problem.Problem.FieldError;

/**
 * A schema validated in two steps, for hot paths (the event intake). networknt json-schema-validator, about 25 times
 * cheaper than vertx-json-schema on a 1 KB event and reading the Jackson tree as it is (EventValidationBenchmark),
 * answers whether the document is valid; only a document it finds invalid is validated again by vertx-json-schema,
 * which decides and whose errors ({@link SchemaMessages}) are the ones every service answers with. So a verdict of
 * "invalid" and every message are vertx-json-schema's, and "valid" is networknt's.
 * <p>
 * A schema using a keyword where the two libraries may differ is validated by vertx-json-schema alone: references and
 * identifiers (networknt could load a remote reference), {@code format} (whether it asserts), {@code multipleOf}
 * (decimal against binary arithmetic), {@code uniqueItems} (networknt tells 1 from 1.0, the specification does not)
 * and another dialect. {@code PrecheckedSchemaTest} holds the two to the same
 * verdicts over a table of cases.
 */
public final class PrecheckedSchema {

    private static final Set<String> NOT_PRECHECKED = Set.of("$ref", "$dynamicRef", "$recursiveRef", "$id",
            "$anchor", "$dynamicAnchor", "$schema", "$vocabulary", "format", "multipleOf", "uniqueItems");
    private static final SchemaRegistry REGISTRY = SchemaRegistry
            .withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private final Schema precheck;
    private final Validator validator;

    private PrecheckedSchema(Schema precheck, Validator validator) {
        this.precheck = precheck;
        this.validator = validator;
    }

    /** Compiles a schema once for both steps; reuse it for every document. */
    public static PrecheckedSchema compile(JsonNode schema, JsonSchemaOptions options) {
        Validator validator = JsonSchemaValidation.compile(schema, options);
        Schema precheck = schema.isObject() && !uses(schema, NOT_PRECHECKED) ? REGISTRY.getSchema(schema) : null;
        return new PrecheckedSchema(precheck, validator);
    }

    /** Errors of {@code document}, pointing below {@code prefix}; empty when it is valid. */
    public List<FieldError> validate(JsonNode document, String prefix) {
        if (precheck != null && precheck.validate(document).isEmpty()) {
            return List.of();
        }
        return JsonSchemaValidation.validate(validator, document, prefix);
    }

    /** networknt's verdict alone (for the test that holds it to vertx-json-schema's). */
    boolean precheckFindsValid(JsonNode document) {
        return precheck.validate(document).isEmpty();
    }

    /** Whether valid documents skip vertx-json-schema. */
    public boolean prechecked() {
        return precheck != null;
    }

    /** Whether any object in the schema has one of {@code keywords} as a field (conservatively, at any depth). */
    private static boolean uses(JsonNode node, Set<String> keywords) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (keywords.contains(field.getKey()) || uses(field.getValue(), keywords)) {
                    return true;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                if (uses(item, keywords)) {
                    return true;
                }
            }
        }
        return false;
    }
}
