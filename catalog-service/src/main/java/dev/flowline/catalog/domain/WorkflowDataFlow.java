package dev.flowline.catalog.domain;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.flowline.expression.Condition;
import dev.flowline.expression.JsonPath;
import dev.flowline.expression.JsonPointers;
import dev.flowline.expression.Mapping;
import dev.flowline.expression.MappingCheck;
import dev.flowline.expression.SchemaPaths;
import dev.flowline.servicekit.problem.Problem.FieldError;

/**
 * The data-flow checks of a workflow at publish, once its graph is sound and every {@code uses} is resolved. A run's
 * state is {@code {"input": ..., "steps": {"<id>": {"output": ...}}}}; a path may read the input, or the output of a
 * step that ran before on every path (a dominator; a branch may also read its own step's output). Each path must
 * exist in the schema it reads, every required input of a step must be mapped, mapped values must have compatible
 * types, and every {@code onError} code must be declared by the step.
 */
public final class WorkflowDataFlow {

    private final JsonNode workflow;
    private final Map<String, JsonNode> resolvedSteps;
    private final Map<String, Set<String>> dominators;
    private final JsonNode inputSchema;
    private final Set<String> graphEnds;
    private final List<FieldError> errors = new ArrayList<>();

    /**
     * @param resolvedSteps the step definition each workflow step uses, by workflow step id
     */
    public WorkflowDataFlow(JsonNode workflow, Map<String, JsonNode> resolvedSteps, WorkflowGraph graph) {
        this.workflow = workflow;
        this.resolvedSteps = resolvedSteps;
        this.dominators = graph.dominators();
        this.inputSchema = workflow.has("input") ? workflow.get("input") : JsonNodeFactory.instance.objectNode();
        this.graphEnds = graph.ends();
    }

    public List<FieldError> check() {
        for (Iterator<Map.Entry<String, JsonNode>> it = workflow.path("steps").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            String id = entry.getKey();
            JsonNode step = entry.getValue();
            JsonNode definition = resolvedSteps.get(id);
            String at = JsonPointers.append("/steps", id);
            onError(step, definition, at);
            Set<String> before = dominators.getOrDefault(id, Set.of());
            inputMapping(step, definition, at, before);
            JsonNode next = step.get("next");
            if (next != null && next.isArray()) {
                Set<String> visible = new LinkedHashSet<>(before);
                visible.add(id);
                for (int i = 0; i < next.size(); i++) {
                    JsonNode when = next.get(i).get("when");
                    if (when != null) {
                        for (Condition.Test test : Condition.parse(when, at + "/next/" + i + "/when").tests()) {
                            resolve(test.path(), test.pointer(), visible);
                        }
                    }
                }
            }
        }
        if (workflow.has("output")) {
            Set<String> surely = null;
            for (String end : graphEnds) {
                Set<String> ran = new LinkedHashSet<>(dominators.getOrDefault(end, Set.of()));
                ran.add(end);
                if (surely == null) {
                    surely = ran;
                } else {
                    surely.retainAll(ran);
                }
            }
            Set<String> visible = surely == null ? Set.of() : surely;
            Mapping.parse(workflow.get("output"), "/output").forEachPath((path, pointer) -> resolve(path, pointer,
                    visible));
        }
        return errors;
    }

    private void onError(JsonNode step, JsonNode definition, String at) {
        List<String> declared = new ArrayList<>();
        definition.path("errors").forEach(e -> declared.add(e.path("code").asText()));
        step.path("onError").fieldNames().forEachRemaining(code -> {
            if (!code.equals("*") && !declared.contains(code)) {
                errors.add(new FieldError(at + "/onError/" + code, "step " + label(definition)
                        + " declares no error " + code + (declared.isEmpty()
                                ? ""
                                : " (it declares "
                                        + String.join(", ", declared) + ")")));
            }
        });
    }

    private void inputMapping(JsonNode step, JsonNode definition, String at, Set<String> visible) {
        JsonNode stepInput = definition.has("input")
                ? definition.get("input")
                : JsonNodeFactory.instance
                        .objectNode();
        JsonNode with = step.get("with");
        Mapping mapping = with == null ? null : Mapping.parse(with, at + "/with");
        if (mapping != null) {
            mapping.forEachPath((path, pointer) -> resolve(path, pointer, visible));
        }
        MappingCheck.against(mapping, at + "/with", stepInput, path -> {
            SchemaPaths.Resolution resolution = read(path, visible);
            return resolution.found() ? SchemaPaths.types(resolution.schema()) : null;
        }, "step " + label(definition)).forEach(e -> errors.add(new FieldError(e.pointer(), e.message())));
    }

    private void resolve(JsonPath path, String pointer, Set<String> visible) {
        SchemaPaths.Resolution resolution = read(path, visible);
        if (!resolution.found()) {
            errors.add(new FieldError(pointer, resolution.error()));
        }
    }

    /** The schema of what {@code path} reads at this point of the run, or why it cannot be read there. */
    private SchemaPaths.Resolution read(JsonPath path, Set<String> visible) {
        List<JsonPath.Segment> segments = path.segments();
        if (!segments.isEmpty() && segments.get(0) instanceof JsonPath.Name first && first.name().equals("input")) {
            SchemaPaths.Resolution resolution = SchemaPaths.resolve(inputSchema, rest(segments, 1));
            return resolution.found()
                    ? resolution
                    : failed(path + ": " + resolution.error()
                            .replaceFirst("^\\$", "\\$.input") + " of the workflow input");
        }
        if (segments.size() >= 3 && segments.get(0) instanceof JsonPath.Name steps && steps.name().equals("steps")
                && segments.get(1) instanceof JsonPath.Name id && segments.get(2) instanceof JsonPath.Name output
                && output.name().equals("output")) {
            if (!resolvedSteps.containsKey(id.name())) {
                return failed(path + ": there is no step '" + id.name() + "'");
            }
            if (!visible.contains(id.name())) {
                return failed(path + ": step '" + id.name() + "' does not run before this point on every path");
            }
            JsonNode definition = resolvedSteps.get(id.name());
            JsonNode outputSchema = definition.has("output")
                    ? definition.get("output")
                    : JsonNodeFactory.instance.objectNode();
            SchemaPaths.Resolution resolution = SchemaPaths.resolve(outputSchema, rest(segments, 3));
            return resolution.found()
                    ? resolution
                    : failed(path + ": " + resolution.error()
                            + " of the output of step " + label(definition));
        }
        return failed(path + ": a path reads $.input... or $.steps.<id>.output...");
    }

    private static JsonPath rest(List<JsonPath.Segment> segments, int from) {
        return JsonPath.of(segments.subList(from, segments.size()).toArray(JsonPath.Segment[]::new));
    }

    private static SchemaPaths.Resolution failed(String error) {
        return new SchemaPaths.Resolution(null, error);
    }

    private static String label(JsonNode definition) {
        return definition.path("name").asText() + "@" + definition.path("version").asText();
    }
}
