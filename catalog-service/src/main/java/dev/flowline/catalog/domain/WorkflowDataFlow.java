package dev.flowline.catalog.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.flowline.definitions.StepDefinition;
import dev.flowline.definitions.WorkflowDefinition;
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

    private final WorkflowDefinition workflow;
    private final Map<String, StepDefinition> resolvedSteps;
    private final Map<String, Set<String>> dominators;
    private final Set<String> graphEnds;
    private final List<FieldError> errors = new ArrayList<>();

    /**
     * @param resolvedSteps the step definition each workflow step uses, by workflow step id
     */
    public WorkflowDataFlow(WorkflowDefinition workflow, Map<String, StepDefinition> resolvedSteps,
            WorkflowGraph graph) {
        this.workflow = workflow;
        this.resolvedSteps = resolvedSteps;
        this.dominators = graph.dominators();
        this.graphEnds = graph.ends();
    }

    public List<FieldError> check() {
        workflow.steps().forEach((id, step) -> {
            StepDefinition definition = resolvedSteps.get(id);
            String at = JsonPointers.append("/steps", id);
            onError(step, definition, at);
            Set<String> before = dominators.getOrDefault(id, Set.of());
            inputMapping(step, definition, at, before);
            Set<String> visible = new LinkedHashSet<>(before);
            visible.add(id);
            for (WorkflowDefinition.Branch branch : step.next().branches()) {
                if (branch.when() != null) {
                    for (Condition.Test test : branch.when().parsed().tests()) {
                        resolve(test.path(), test.pointer(), visible);
                    }
                }
            }
        });
        if (workflow.output() != null) {
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
            workflow.output().parsed().forEachPath((path, pointer) -> resolve(path, pointer, visible));
        }
        return errors;
    }

    private void onError(WorkflowDefinition.WorkflowStep step, StepDefinition definition, String at) {
        List<String> declared = definition.errorCodes();
        step.onError().keySet().forEach(code -> {
            if (!code.equals(WorkflowDefinition.ErrorPolicy.ANY_CODE) && !declared.contains(code)) {
                errors.add(new FieldError(at + "/onError/" + code, "step " + definition.label()
                        + " declares no error " + code + (declared.isEmpty()
                                ? ""
                                : " (it declares "
                                        + String.join(", ", declared) + ")")));
            }
        });
    }

    private void inputMapping(WorkflowDefinition.WorkflowStep step, StepDefinition definition, String at,
            Set<String> visible) {
        Mapping mapping = step.with() == null ? null : step.with().parsed();
        if (mapping != null) {
            mapping.forEachPath((path, pointer) -> resolve(path, pointer, visible));
        }
        MappingCheck.against(mapping, at + "/with", definition.input(), path -> {
            SchemaPaths.Resolution resolution = read(path, visible);
            return resolution.found() ? SchemaPaths.types(resolution.schema()) : null;
        }, "step " + definition.label()).forEach(e -> errors.add(new FieldError(e.pointer(), e.message())));
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
            SchemaPaths.Resolution resolution = SchemaPaths.resolve(workflow.input(), rest(segments, 1));
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
            StepDefinition definition = resolvedSteps.get(id.name());
            SchemaPaths.Resolution resolution = SchemaPaths.resolve(definition.output(), rest(segments, 3));
            return resolution.found()
                    ? resolution
                    : failed(path + ": " + resolution.error()
                            + " of the output of step " + definition.label());
        }
        return failed(path + ": a path reads $.input... or $.steps.<id>.output...");
    }

    private static JsonPath rest(List<JsonPath.Segment> segments, int from) {
        return JsonPath.of(segments.subList(from, segments.size()).toArray(JsonPath.Segment[]::new));
    }

    private static SchemaPaths.Resolution failed(String error) {
        return new SchemaPaths.Resolution(null, error);
    }
}
