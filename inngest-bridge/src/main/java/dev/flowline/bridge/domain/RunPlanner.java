package dev.flowline.bridge.domain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.flowline.catalogcache.CachedDefinition;
import dev.flowline.catalogcache.CatalogCache;
import dev.flowline.contracts.Topics;
import dev.flowline.contracts.WorkflowRunEvent;
import dev.flowline.contracts.WorkflowRunEvent.Kind;
import dev.flowline.contracts.WorkflowRunEvent.StepFailure;
import dev.flowline.contracts.WorkflowRunUpdate;
import dev.flowline.definitions.StepDefinition;
import dev.flowline.definitions.WorkflowDefinition;

/**
 * Decides what a run is pinned to (in its first step) and gives every call request the compiled definitions.
 */
@ApplicationScoped
public class RunPlanner {

    @Inject
    CatalogCache catalog;

    @Inject
    RunJournal journal;

    @Inject
    ObjectMapper json;

    private final Map<String, CompiledWorkflow> compiled = new ConcurrentHashMap<>();

    /** The run's request as the starting event's data gives it. */
    public RunRequest request(String workflow, JsonNode eventData) {
        JsonNode flowline = eventData.path(RunRequest.MEMBER);
        if (flowline.isObject()) {
            try {
                return json.treeToValue(flowline, RunRequest.class);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                // Not ours after all: run it as a legacy event.
            }
        }
        return new RunRequest(null, workflow, null, null, null, null, null);
    }

    public JsonNode input(JsonNode eventData) {
        return eventData.path(RunRequest.MEMBER).isObject() ? eventData.path(RunRequest.INPUT) : eventData;
    }

    /**
     * Pins the run and records its start (and, for a resume, the reused steps); a run that cannot start is recorded
     * as started and failed, and its plan says why.
     */
    public RunPlan plan(String workflow, JsonNode eventData, String runId) {
        RunRequest request = request(workflow, eventData);
        JsonNode input = input(eventData);
        Instant now = Instant.now();
        Optional<CachedDefinition<WorkflowDefinition>> found = Blocking
                .inSession(() -> catalog.workflows().resolve(workflow,
                        request.version()));
        RunPlan plan;
        if (found.isEmpty()) {
            plan = rejected(workflow, request, input, now, new StepFailure("flowline.unknown-version", "workflow "
                    + workflow + (request.version() == null
                            ? " has no published version"
                            : " has no version "
                                    + request.version()),
                    null, true));
        } else {
            plan = pin(found.get(), request, input, now);
        }
        List<RunJournal.Attached> update = request.commandId() == null
                ? List.of()
                : List.of(runUpdate(request
                        .commandId(), runId, WorkflowRunUpdate.RunStatus.STARTED, null, now));
        journal.recordNow(new WorkflowRunEvent(WorkflowRunEvent.messageIdFor(runId, Kind.RUN_STARTED, null, null,
                null), Kind.RUN_STARTED, runId, request.commandId(), workflow, plan.version(), null, null, null, input,
                null, null, request.origin(), request.source(), null, now), update);
        if (plan.rejected() != null) {
            failRun(plan, runId, plan.rejected());
            return plan;
        }
        for (Map.Entry<String, List<JsonNode>> reused : request.reuse().entrySet()) {
            for (int execution = 1; execution <= reused.getValue().size(); execution++) {
                journal.recordNow(new WorkflowRunEvent(WorkflowRunEvent.messageIdFor(runId, Kind.STEP_REUSED, reused
                        .getKey(), execution, 0), Kind.STEP_REUSED, runId, request.commandId(), workflow, plan
                                .version(),
                        reused.getKey(), execution, 0, null, reused.getValue().get(execution - 1),
                        null, null, null, "reused from run " + request.origin().runId(), now), List.of());
            }
        }
        return plan;
    }

    private RunPlan pin(CachedDefinition<WorkflowDefinition> workflow, RunRequest request, JsonNode input,
            Instant now) {
        Map<String, String> stepVersions = new LinkedHashMap<>();
        Map<String, JsonNode> documents = new LinkedHashMap<>();
        for (WorkflowDefinition.WorkflowStep step : workflow.definition().steps().values()) {
            Optional<CachedDefinition<StepDefinition>> definition = Blocking
                    .inSession(() -> catalog.steps().resolve(step.uses()
                            .name(), step.uses().range()));
            if (definition.isEmpty()) {
                return rejected(workflow.name(), request, input, now, new StepFailure("flowline.unknown-step",
                        "step " + step.id() + " uses " + step.uses() + ", which has no published version", null,
                        true));
            }
            stepVersions.put(step.id(), definition.get().label());
            documents.put(definition.get().label(), definition.get().document());
        }
        RunPlan plan = new RunPlan(workflow.name(), workflow.version(), workflow.document(), stepVersions, documents,
                input, request, now, null);
        List<dev.flowline.servicekit.problem.Problem.FieldError> errors = compiled(plan).inputErrors(input);
        if (!errors.isEmpty()) {
            return new RunPlan(workflow.name(), workflow.version(), workflow.document(), stepVersions, documents,
                    input, request, now, new StepFailure("flowline.invalid-input", "the run's input does not match "
                            + "the workflow's input schema", json.valueToTree(errors), true));
        }
        return plan;
    }

    private RunPlan rejected(String workflow, RunRequest request, JsonNode input, Instant now, StepFailure why) {
        return new RunPlan(workflow, request.version() == null ? "none" : request.version(), null, Map.of(), Map.of(),
                input, request, now, why);
    }

    /** The pinned definitions, parsed and compiled once per workflow version. */
    public CompiledWorkflow compiled(RunPlan plan) {
        return compiled.computeIfAbsent(plan.workflow() + "@" + plan.version() + " " + plan.stepVersions(), key -> {
            WorkflowDefinition definition = WorkflowDefinition.parse(plan.definition());
            Map<String, CompiledWorkflow.CompiledStep> steps = new HashMap<>();
            Map<String, CompiledWorkflow.CompiledStep> byLabel = new HashMap<>();
            plan.stepVersions().forEach((stepId, label) -> steps.put(stepId, byLabel.computeIfAbsent(label,
                    l -> new CompiledWorkflow.CompiledStep(StepDefinition.parse(plan.stepDocuments().get(l))))));
            return new CompiledWorkflow(definition, steps);
        });
    }

    /** Records the run's failure (and tells trigger-service). */
    public void failRun(RunPlan plan, String runId, StepFailure why) {
        Instant now = Instant.now();
        UUID commandId = plan.request().commandId();
        List<RunJournal.Attached> update = commandId == null
                ? List.of()
                : List.of(runUpdate(commandId, runId,
                        WorkflowRunUpdate.RunStatus.FAILED, why.message(), now));
        journal.recordNow(new WorkflowRunEvent(WorkflowRunEvent.messageIdFor(runId, Kind.RUN_FAILED, null, null,
                null), Kind.RUN_FAILED, runId, commandId, plan.workflow(), plan.version(), null, null, null, null,
                null, why, plan.request().origin(), null, why.message(), now), update);
    }

    /** Records the run's completion (and tells trigger-service). */
    public void completeRun(RunPlan plan, String runId, JsonNode output) {
        Instant now = Instant.now();
        UUID commandId = plan.request().commandId();
        List<RunJournal.Attached> update = commandId == null
                ? List.of()
                : List.of(runUpdate(commandId, runId,
                        WorkflowRunUpdate.RunStatus.COMPLETED, null, now));
        journal.recordNow(new WorkflowRunEvent(WorkflowRunEvent.messageIdFor(runId, Kind.RUN_COMPLETED, null, null,
                null), Kind.RUN_COMPLETED, runId, commandId, plan.workflow(), plan.version(), null, null, null, null,
                output, null, plan.request().origin(), null, null, now), update);
    }

    /** The run update trigger-service shows on the command; keyed by the command id, as that contract says. */
    public static RunJournal.Attached runUpdate(UUID commandId, String runId, WorkflowRunUpdate.RunStatus status,
            String detail, Instant at) {
        UUID id = UUID.nameUUIDFromBytes(("run-update:" + runId + ":" + status).getBytes(StandardCharsets.UTF_8));
        return new RunJournal.Attached(Topics.WORKFLOW_LIFECYCLE, commandId.toString(), WorkflowRunUpdate.MESSAGE_TYPE,
                id, new WorkflowRunUpdate(id, commandId, runId, status, detail, at));
    }

}
