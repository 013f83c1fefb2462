package dev.flowline.catalog.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.flowline.contracts.CatalogKind;
import dev.flowline.contracts.Versions;
import dev.flowline.definitions.DefinitionException;
import dev.flowline.definitions.Definitions;
import dev.flowline.definitions.StepDefinition;
import dev.flowline.definitions.WorkflowDefinition;
import dev.flowline.expression.JsonPointers;
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
        String nameField = Definitions.nameMember(kind);
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

    private void checkStep(ObjectNode document, List<FieldError> errors) {
        StepDefinition step = read(() -> StepDefinition.parse(document), errors);
        if (step == null) {
            return;
        }
        embedded(step.input(), "/input", errors);
        embedded(step.output(), "/output", errors);
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < step.errors().size(); i++) {
            String code = step.errors().get(i).code();
            if (codes.contains(code)) {
                errors.add(new FieldError("/errors/" + i + "/code", "error code " + code + " is declared twice"));
            }
            codes.add(code);
            embedded(step.errors().get(i).data(), "/errors/" + i + "/data", errors);
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

    /** Reading the workflow parses its expressions: their syntax errors come back here, each at its pointer. */
    private void checkWorkflow(ObjectNode document, List<FieldError> errors) {
        embedded(document.get("input"), "/input", errors);
        WorkflowDefinition workflow = read(() -> WorkflowDefinition.parse(document), errors);
        if (workflow == null) {
            return;
        }
        workflow.steps().forEach((id, step) -> {
            if (!step.uses().validRange()) {
                errors.add(new FieldError(JsonPointers.append("/steps", id) + "/uses", "'" + step.uses().range()
                        + "' is not a version range (use ^1.2, ~1.2.3, >=1.0.0 <2.0.0 or an exact version)"));
            }
        });
    }

    private static <T> T read(Supplier<T> parse, List<FieldError> errors) {
        try {
            return parse.get();
        } catch (DefinitionException e) {
            e.errors().forEach(err -> errors.add(new FieldError(err.pointer(), err.message())));
            return null;
        }
    }

    private void embedded(JsonNode schema, String pointer, List<FieldError> errors) {
        if (schema != null) {
            errors.addAll(schemas.validateSchema(schema, pointer));
        }
    }
}
