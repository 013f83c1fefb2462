package dev.flowline.catalog.domain;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

import dev.flowline.definitions.ErrorAction;
import dev.flowline.definitions.StepDefinition;
import dev.flowline.definitions.StepRef;
import dev.flowline.definitions.WorkflowDefinition;
import dev.flowline.expression.JsonPointers;
import dev.flowline.servicekit.problem.Problem.FieldError;
import dev.flowline.servicekit.problem.ProblemException;

/**
 * Converts between the legacy state-machine workflow format and Flowline definitions. Import makes one step
 * definition per state and one workflow; every assumption and every field it does not know is reported, and what the
 * definition language has no place for is kept under the workflow's {@code legacy} member so that export gives back
 * an equivalent legacy document.
 */
public final class LegacyWorkflows {

    /** Something the import had to assume, or could not carry over as such. */
    @RegisterForReflection
    public record ReportEntry(String pointer, String kind, String message) {
    }

    /** The drafts an import produces. */
    public record Imported(List<StepDefinition> steps, WorkflowDefinition workflow, List<ReportEntry> report) {
    }

    static final String STEP_VERSION = "1.0.0";
    private static final Set<String> TOP_FIELDS = Set.of("states", "finalStates", "initialState", "inngest_event",
            "workflow_name");
    private static final Set<String> STATE_FIELDS = Set.of("name", "next", "error", "errors", "metadata",
            "identifier", "description", "displayName");
    private static final Set<String> ERROR_FIELDS = Set.of("code", "data", "message");
    private static final Set<String> FIELD_FIELDS = Set.of("type", "items", "optional", "description");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private LegacyWorkflows() {
    }

    public static Imported importWorkflow(JsonNode legacy) {
        List<FieldError> errors = new ArrayList<>();
        if (legacy == null || !legacy.isObject()) {
            throw ProblemException.invalid("", "a legacy workflow is a JSON object");
        }
        for (String required : List.of("workflow_name", "inngest_event", "initialState")) {
            if (!legacy.path(required).isTextual()) {
                errors.add(new FieldError("/" + required, required + " is required (a string)"));
            }
        }
        if (!legacy.path("states").isArray() || legacy.path("states").isEmpty()) {
            errors.add(new FieldError("/states", "states is required (a non-empty list)"));
        }
        if (!legacy.path("finalStates").isArray()) {
            errors.add(new FieldError("/finalStates", "finalStates is required (a list)"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        structure(legacy, errors);
        List<ReportEntry> report = new ArrayList<>();
        ObjectNode kept = NODES.objectNode();
        ObjectNode keptStates = kept.putObject("states");
        unknown(legacy, TOP_FIELDS, "", report, kept.putObject("unknown"));

        List<StepDefinition> steps = new ArrayList<>();
        Map<String, WorkflowDefinition.WorkflowStep> workflowSteps = new LinkedHashMap<>();
        JsonNode states = legacy.get("states");
        for (int i = 0; i < states.size(); i++) {
            JsonNode state = states.get(i);
            String at = "/states/" + i;
            String id = state.path("identifier").asText();
            String name = state.path("name").asText();
            if (id.isEmpty() || name.isEmpty()) {
                errors.add(new FieldError(at, "a state needs an identifier and a name"));
                continue;
            }
            ObjectNode keptState = NODES.objectNode();
            unknown(state, STATE_FIELDS, at, report, keptState.putObject("unknown"));
            steps.add(step(state, at, report));
            report.add(new ReportEntry(at, "assumption", "step " + name + " has no binding in the legacy format; "
                    + "set one (lambda or http) before publishing"));

            JsonNode next = state.path("next");
            WorkflowDefinition.Next workflowNext = WorkflowDefinition.Next.NONE;
            if (next.size() >= 1) {
                workflowNext = new WorkflowDefinition.Next(List.of(new WorkflowDefinition.Branch(null, next.get(0)
                        .asText())), true);
            }
            if (next.size() > 1) {
                keptState.set("next", next);
                report.add(new ReportEntry(at + "/next", "unsupported", "several next states without conditions; "
                        + "the first, " + next.get(0).asText() + ", is the workflow's next; add conditions to branch"));
            }
            Map<String, WorkflowDefinition.ErrorPolicy> onError = new LinkedHashMap<>();
            JsonNode stateErrors = state.path("errors");
            if (stateErrors.size() > 0) {
                stateErrors.forEach(e -> onError.put(e.path("code").asText(), new WorkflowDefinition.ErrorPolicy(
                        ErrorAction.TASK, null, null, null, true)));
                report.add(new ReportEntry(at + "/errors", "assumption", "each declared error opens a human task "
                        + "(onError: task)"));
            }
            workflowSteps.put(id, new WorkflowDefinition.WorkflowStep(id, new StepRef(name, "^" + STEP_VERSION),
                    text(state, "displayName"), text(state, "description"), null, workflowNext, onError, null, null,
                    null, null));
            if (state.has("error")) {
                keptState.set("error", state.get("error"));
                report.add(new ReportEntry(at + "/error", "kept", "the state's general error message has no place in "
                        + "a step definition; kept under legacy.states." + id + " for the export"));
            }
            if (keptState.size() > 1 || !keptState.get("unknown").isEmpty()) {
                keptStates.set(id, keptState);
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        WorkflowDefinition workflow = new WorkflowDefinition(legacy.get("workflow_name").asText(), "1", null, null,
                legacy.get("inngest_event").asText(), NODES.objectNode().put("type", "object"), legacy.get(
                        "initialState").asText(),
                workflowSteps, texts(legacy.get("finalStates")), null, null, kept,
                null);
        report.add(new ReportEntry("", "assumption", "the workflow is version 1 and its steps version "
                + STEP_VERSION + "; the legacy format has no input schema, so inputs are open objects"));
        return new Imported(steps, workflow, report);
    }

    /**
     * What would lose or invent data: an identifier used by two states (the later would silently replace the earlier),
     * and an initial state, a next state or a final state that names no state. Every problem, at its pointer.
     */
    static void structure(JsonNode legacy, List<FieldError> errors) {
        Map<String, Integer> first = new LinkedHashMap<>();
        JsonNode states = legacy.get("states");
        for (int i = 0; i < states.size(); i++) {
            String id = states.get(i).path("identifier").asText();
            if (id.isEmpty()) {
                continue;
            }
            Integer earlier = first.putIfAbsent(id, i);
            if (earlier != null) {
                errors.add(new FieldError("/states/" + i + "/identifier", "identifier " + id + " is already the "
                        + "identifier of /states/" + earlier + "; each state needs its own"));
            }
        }
        String initial = legacy.get("initialState").asText();
        if (!first.containsKey(initial)) {
            errors.add(new FieldError("/initialState", "names no state: " + initial + " is not the identifier of "
                    + "any state"));
        }
        for (int i = 0; i < states.size(); i++) {
            JsonNode next = states.get(i).path("next");
            for (int k = 0; k < next.size(); k++) {
                if (!first.containsKey(next.get(k).asText())) {
                    errors.add(new FieldError("/states/" + i + "/next/" + k, "names no state: " + next.get(k)
                            + " is not the identifier of any state"));
                }
            }
        }
        JsonNode finals = legacy.get("finalStates");
        for (int k = 0; k < finals.size(); k++) {
            if (!first.containsKey(finals.get(k).asText())) {
                errors.add(new FieldError("/finalStates/" + k, "names no state: " + finals.get(k)
                        + " is not the identifier of any state"));
            }
        }
    }

    private static StepDefinition step(JsonNode state, String at, List<ReportEntry> report) {
        List<StepDefinition.ErrorDeclaration> stepErrors = new ArrayList<>();
        JsonNode legacyErrors = state.path("errors");
        for (int e = 0; e < legacyErrors.size(); e++) {
            JsonNode legacyError = legacyErrors.get(e);
            String eat = at + "/errors/" + e;
            unknown(legacyError, ERROR_FIELDS, eat, report, null);
            stepErrors.add(new StepDefinition.ErrorDeclaration(legacyError.path("code").asText(), legacyError.path(
                    "message").asText(legacyError.path("code").asText()), objectSchema(legacyError.path("data"),
                            eat
                                    + "/data",
                            report),
                    false));
        }
        return new StepDefinition(state.path("name").asText(), STEP_VERSION, text(state, "displayName"), text(state,
                "description"), null, NODES.objectNode().put("type", "object"),
                objectSchema(state.path("metadata"),
                        at + "/metadata", report),
                stepErrors, null, null, List.of(), null);
    }

    private static String text(JsonNode from, String field) {
        return from.path(field).isTextual() ? from.get(field).asText() : null;
    }

    private static List<String> texts(JsonNode list) {
        List<String> texts = new ArrayList<>();
        list.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    private static ObjectNode objectSchema(JsonNode fields, String at, List<ReportEntry> report) {
        ObjectNode schema = NODES.objectNode().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = NODES.arrayNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String fat = JsonPointers.append(at, field.getKey());
            JsonNode spec = field.getValue();
            ObjectNode property;
            if (spec.isTextual()) {
                property = typeSchema(spec, fat, report);
                required.add(field.getKey());
            } else {
                unknown(spec, FIELD_FIELDS, fat, report, null);
                property = typeSchema(spec.path("type"), fat + "/type", report);
                if (spec.path("type").asText().equals("array")) {
                    property.set("items", typeSchema(spec.path("items"), fat + "/items", report));
                }
                copyText(spec, property, "description");
                if (!spec.path("optional").asBoolean(false)) {
                    required.add(field.getKey());
                }
            }
            properties.set(field.getKey(), property);
        }
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        return schema;
    }

    private static ObjectNode typeSchema(JsonNode type, String at, List<ReportEntry> report) {
        ObjectNode schema = NODES.objectNode();
        switch (type.asText()) {
            case "boolean", "integer", "string", "array" -> schema.put("type", type.asText());
            case "float" -> schema.put("type", "number");
            case "uuid" -> schema.put("type", "string").put("format", "uuid");
            default -> report.add(new ReportEntry(at, "unsupported", "legacy type '" + type.asText()
                    + "' is unknown; the field accepts any value"));
        }
        return schema;
    }

    private static void unknown(JsonNode node, Set<String> known, String at, List<ReportEntry> report,
            ObjectNode keep) {
        node.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                report.add(new ReportEntry(JsonPointers.append(at, name), "unknown-field", "'" + name
                        + "' is not part of the legacy format as Flowline knows it"
                        + (keep == null ? "; not carried over" : "; kept for the export")));
                if (keep != null) {
                    keep.set(name, node.get(name));
                }
            }
        });
    }

    private static void copyText(JsonNode from, ObjectNode to, String field) {
        if (from.path(field).isTextual()) {
            to.put(field, from.get(field).asText());
        }
    }

    /**
     * The legacy form of a workflow.
     *
     * @param stepsById the step definition each workflow step uses
     */
    public static ObjectNode export(WorkflowDefinition workflow, Map<String, StepDefinition> stepsById) {
        JsonNode kept = workflow.legacy() == null ? NODES.missingNode() : workflow.legacy();
        ObjectNode legacy = NODES.objectNode();
        ArrayNode states = legacy.putArray("states");
        for (String id : new WorkflowGraph(workflow).order()) {
            WorkflowDefinition.WorkflowStep wfStep = workflow.step(id);
            StepDefinition step = stepsById.get(id);
            JsonNode keptState = kept.path("states").path(id);
            ObjectNode state = states.addObject();
            state.put("name", step.name());
            if (keptState.has("next")) {
                state.set("next", keptState.get("next"));
            } else {
                ArrayNode next = state.putArray("next");
                wfStep.next().targets().forEach(next::add);
            }
            if (keptState.has("error")) {
                state.set("error", keptState.get("error"));
            }
            ArrayNode errors = state.putArray("errors");
            step.errors().forEach(error -> {
                ObjectNode legacyError = errors.addObject();
                legacyError.put("code", error.code());
                legacyError.set("data", fields(error.data() == null ? NODES.objectNode() : error.data(), false));
                legacyError.put("message", error.message());
            });
            state.set("metadata", fields(step.output(), true));
            state.put("identifier", id);
            text(state, "description", wfStep.description(), step.description());
            text(state, "displayName", wfStep.displayName(), step.displayName());
            kept.path("states").path(id).path("unknown").fields().forEachRemaining(e -> state.set(e.getKey(),
                    e.getValue()));
        }
        ArrayNode finalStates = legacy.putArray("finalStates");
        workflow.end().forEach(finalStates::add);
        legacy.put("initialState", workflow.start());
        legacy.put("inngest_event", workflow.command());
        legacy.put("workflow_name", workflow.name());
        kept.path("unknown").fields().forEachRemaining(e -> legacy.set(e.getKey(), e.getValue()));
        return legacy;
    }

    private static void text(ObjectNode state, String field, String first, String second) {
        String value = first != null ? first : second;
        if (value != null) {
            state.put(field, value);
        }
    }

    /** Legacy field declarations from an object schema; the short form ("boolean") where nothing else is said. */
    private static ObjectNode fields(JsonNode schema, boolean allowShortForm) {
        ObjectNode fields = NODES.objectNode();
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        schema.path("properties").fields().forEachRemaining(e -> {
            JsonNode property = e.getValue();
            String type = legacyType(property);
            boolean optional = !required.contains(e.getKey());
            boolean plain = !optional && !property.has("description") && !type.equals("array");
            if (allowShortForm && plain) {
                fields.put(e.getKey(), type);
                return;
            }
            ObjectNode field = fields.putObject(e.getKey());
            field.put("type", type);
            if (type.equals("array")) {
                field.put("items", legacyType(property.path("items")));
            }
            if (optional) {
                field.put("optional", true);
            }
            if (property.has("description")) {
                field.set("description", property.get("description"));
            }
        });
        return fields;
    }

    private static String legacyType(JsonNode schema) {
        String type = schema.path("type").asText("string");
        if (type.equals("number")) {
            return "float";
        }
        if (type.equals("string") && "uuid".equals(schema.path("format").asText())) {
            return "uuid";
        }
        return type;
    }
}
