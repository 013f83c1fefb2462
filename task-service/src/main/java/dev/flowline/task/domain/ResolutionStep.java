package dev.flowline.task.domain;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.flowline.definitions.DefinitionException;
import dev.flowline.definitions.StepRef;
import dev.flowline.expression.ExpressionException;
import dev.flowline.expression.JsonPath;
import dev.flowline.expression.Mapping;
import dev.flowline.expression.SchemaPaths;
import dev.flowline.servicekit.problem.Problem.FieldError;
import dev.flowline.task.persistence.TaskEntity;

/**
 * A task type's resolution step, {@code {"uses": "update_rental_settings@^1.0.0", "with": {…}}}: a catalog step
 * called with {@code with} (the shared mapping language) before a retry or skip resumes the run, so the fix a person
 * submits lands where it belongs (the rental's settings) before the failed step runs again. The mapping reads
 * {@code $.data} (what the person submitted), {@code $.error} (the error's data), {@code $.stepInput} (the failed
 * step's input) and {@code $.task} ({@code id}, {@code runId}, {@code workflow}, {@code stepId}, {@code errorCode}).
 */
public record ResolutionStep(StepRef uses, Mapping with) {

    static final Set<String> MEMBERS = Set.of("uses", "with");
    static final String DATA = "data";
    static final String ERROR = "error";
    static final String STEP_INPUT = "stepInput";
    static final String TASK = "task";
    static final Set<String> TASK_MEMBERS = Set.of("id", "runId", "workflow", "stepId", "errorCode");

    /** Reads a saved (valid) member. */
    static ResolutionStep read(JsonNode member) {
        return new ResolutionStep(StepRef.parse(member.get("uses").asText(), "/resolutionStep/uses"), Mapping.parse(
                member.get("with"), "/resolutionStep/with"));
    }

    /** What can be checked without the catalog: the members, the reference, the mapping and where its paths start. */
    static List<FieldError> problems(JsonNode member) {
        List<FieldError> errors = new ArrayList<>();
        if (member == null || !member.isObject()) {
            errors.add(new FieldError("/resolutionStep", "an object: uses (step@range) and with (a mapping)"));
            return errors;
        }
        for (Iterator<String> names = member.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!MEMBERS.contains(name)) {
                errors.add(new FieldError("/resolutionStep/" + name, "not a member; one of " + MEMBERS));
            }
        }
        try {
            StepRef uses = StepRef.parse(member.path("uses").asText(null), "/resolutionStep/uses");
            if (!uses.validRange()) {
                errors.add(new FieldError("/resolutionStep/uses", "'" + uses.range() + "' is not a version range"));
            }
        } catch (DefinitionException e) {
            e.errors().forEach(error -> errors.add(new FieldError(error.pointer(), error.message())));
        }
        JsonNode with = member.get("with");
        if (with == null || !with.isObject()) {
            errors.add(new FieldError("/resolutionStep/with", "a mapping object: the resolution step's input"));
            return errors;
        }
        try {
            Mapping.parse(with, "/resolutionStep/with").forEachPath((path, pointer) -> {
                if (root(path) == null) {
                    errors.add(new FieldError(pointer, path + ": a resolution path reads $.data, $.error, "
                            + "$.stepInput or $.task"));
                }
            });
        } catch (ExpressionException e) {
            e.errors().forEach(error -> errors.add(new FieldError(error.pointer(), error.message())));
        }
        return errors;
    }

    /**
     * The types a path of the mapping produces, for checking it against the resolution step's input: from the
     * error's and the failed step's schemas; anything for {@code $.data} (the view that shapes it is configured
     * elsewhere); null for a path that leads nowhere (reported by the caller).
     */
    static Set<String> typesAt(JsonPath path, JsonNode errorSchema, JsonNode stepInputSchema) {
        String root = root(path);
        if (root == null) {
            return null;
        }
        JsonPath rest = path.relativize(JsonPath.of(new JsonPath.Name(root)));
        return switch (root) {
            case DATA -> SchemaPaths.ALL_TYPES;
            case TASK -> rest.segments().size() == 1 && rest.segments().get(0) instanceof JsonPath.Name name
                    && TASK_MEMBERS.contains(name.name()) ? Set.of("string") : null;
            default -> {
                JsonNode schema = root.equals(ERROR) ? errorSchema : stepInputSchema;
                if (schema == null) {
                    yield rest.isRoot() ? SchemaPaths.ALL_TYPES : null;
                }
                SchemaPaths.Resolution resolved = SchemaPaths.resolve(schema, rest);
                yield resolved.found() ? SchemaPaths.types(resolved.schema()) : null;
            }
        };
    }

    /** The document the mapping reads for {@code task} and the submitted {@code data}. */
    static JsonNode context(TaskEntity task, JsonNode data) {
        ObjectNode context = JsonNodeFactory.instance.objectNode();
        context.set(DATA, data == null ? JsonNodeFactory.instance.objectNode() : data);
        context.set(ERROR, task.errorData);
        context.set(STEP_INPUT, task.stepInput);
        context.putObject(TASK).put("id", task.id.toString()).put("runId", task.runId).put("workflow", task.workflow)
                .put("stepId", task.stepId).put("errorCode", task.errorCode);
        return context;
    }

    private static String root(JsonPath path) {
        if (path.segments().isEmpty() || !(path.segments().get(0) instanceof JsonPath.Name name)) {
            return null;
        }
        return Set.of(DATA, ERROR, STEP_INPUT, TASK).contains(name.name()) ? name.name() : null;
    }
}
