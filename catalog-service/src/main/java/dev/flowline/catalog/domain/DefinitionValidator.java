package dev.flowline.catalog.domain;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.flowline.contracts.CatalogKind;
import dev.flowline.contracts.Versions;
import dev.flowline.expression.Condition;
import dev.flowline.expression.ExpressionException;
import dev.flowline.expression.JsonPath;
import dev.flowline.expression.JsonPointers;
import dev.flowline.expression.Mapping;
import dev.flowline.servicekit.problem.Problem.FieldError;
import dev.flowline.servicekit.problem.ProblemException;

/**
 * The checks a definition passes when it is saved as a draft: its kind's JSON Schema, embedded JSON Schemas against
 * the meta-schema, the syntax of its expressions, its examples. Checks that need other definitions run at publish
 * ({@link PublishChecks}).
 */
@ApplicationScoped
public class DefinitionValidator {

    @Inject
    DefinitionSchemas schemas;

    /** The member holding a definition's name. */
    public static String nameField(CatalogKind kind) {
        return kind == CatalogKind.EVENT_TYPE ? "type" : "name";
    }

    /**
     * Answers the document to store (name and version filled in from the URL), or throws a 422 problem listing every
     * offending place.
     */
    public ObjectNode validateDraft(CatalogKind kind, String name, String version, JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        boolean versionOk = kind == CatalogKind.WORKFLOW
                ? Versions.isValid(version)
                : Versions.isValid(version) && !version.matches("[0-9]+");
        if (!versionOk) {
            errors.add(new FieldError("#version", "version must be a semantic version (1.2.0)"
                    + (kind == CatalogKind.WORKFLOW ? " or a positive integer" : "") + ", got '" + version + "'"));
        }
        if (body == null || !body.isObject()) {
            errors.add(new FieldError("", "the definition must be a JSON object"));
            throw ProblemException.invalid(errors);
        }
        ObjectNode document = body.deepCopy();
        String nameField = nameField(kind);
        matches(document, nameField, name, errors);
        matches(document, "version", version, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        document.put(nameField, name);
        document.set("version", kind == CatalogKind.WORKFLOW && version.matches("[0-9]+")
                ? IntNode.valueOf(Integer.parseInt(version))
                : TextNode.valueOf(version));

        errors.addAll(schemas.validate(kind, document));
        if (errors.isEmpty()) {
            switch (kind) {
                case STEP -> checkStep(document, errors);
                case WORKFLOW -> checkWorkflow(document, errors);
                case EVENT_TYPE -> checkEventType(document, errors);
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return document;
    }

    private static void matches(ObjectNode document, String field, String expected, List<FieldError> errors) {
        JsonNode value = document.get(field);
        if (value != null && !expected.equals(value.asText())) {
            errors.add(new FieldError("/" + field, field + " '" + value.asText() + "' does not match the URL's '"
                    + expected + "'"));
        }
    }

    private void checkStep(ObjectNode step, List<FieldError> errors) {
        embedded(step.get("input"), "/input", errors);
        embedded(step.get("output"), "/output", errors);
        JsonNode declared = step.path("errors");
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < declared.size(); i++) {
            String code = declared.get(i).path("code").asText();
            if (codes.contains(code)) {
                errors.add(new FieldError("/errors/" + i + "/code", "error code " + code + " is declared twice"));
            }
            codes.add(code);
            embedded(declared.get(i).get("data"), "/errors/" + i + "/data", errors);
        }
    }

    private void checkEventType(ObjectNode eventType, List<FieldError> errors) {
        JsonNode schema = eventType.get("schema");
        int before = errors.size();
        embedded(schema, "/schema", errors);
        if (errors.size() > before) {
            return;
        }
        JsonNode examples = eventType.path("examples");
        for (int i = 0; i < examples.size(); i++) {
            errors.addAll(schemas.validateInstance(schema, examples.get(i), "/examples/" + i));
        }
    }

    private void checkWorkflow(ObjectNode workflow, List<FieldError> errors) {
        embedded(workflow.get("input"), "/input", errors);
        for (Iterator<Map.Entry<String, JsonNode>> it = workflow.path("steps").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            String at = JsonPointers.append("/steps", entry.getKey());
            JsonNode step = entry.getValue();
            String uses = step.path("uses").asText();
            String range = uses.substring(uses.indexOf('@') + 1);
            if (!Versions.isValidRange(range)) {
                errors.add(new FieldError(at + "/uses", "'" + range + "' is not a version range (use ^1.2, ~1.2.3, "
                        + ">=1.0.0 <2.0.0 or an exact version)"));
            }
            if (step.has("with")) {
                expression(() -> Mapping.parse(step.get("with"), at + "/with"), errors);
            }
            JsonNode next = step.get("next");
            if (next != null && next.isArray()) {
                for (int i = 0; i < next.size(); i++) {
                    JsonNode when = next.get(i).get("when");
                    if (when != null) {
                        String pointer = at + "/next/" + i + "/when";
                        expression(() -> Condition.parse(when, pointer), errors);
                    }
                }
            }
        }
        if (workflow.has("output")) {
            expression(() -> Mapping.parse(workflow.get("output"), "/output"), errors);
        }
        JsonNode key = workflow.path("concurrency").get("key");
        if (key != null) {
            try {
                JsonPath.parse(key.asText());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("/concurrency/key", e.getMessage()));
            }
        }
    }

    private void embedded(JsonNode schema, String pointer, List<FieldError> errors) {
        if (schema != null) {
            errors.addAll(schemas.validateSchema(schema, pointer));
        }
    }

    private static void expression(Runnable parse, List<FieldError> errors) {
        try {
            parse.run();
        } catch (ExpressionException e) {
            e.errors().forEach(err -> errors.add(new FieldError(err.pointer(), err.message())));
        }
    }
}
