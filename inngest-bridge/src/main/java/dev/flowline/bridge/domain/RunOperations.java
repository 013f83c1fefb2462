package dev.flowline.bridge.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import dev.flowline.bridge.inngest.InngestClient;
import dev.flowline.bridge.persistence.RunEntity;
import dev.flowline.bridge.persistence.StepAttemptEntity;
import dev.flowline.bridge.persistence.StoredJson;
import dev.flowline.catalogcache.CachedDefinition;
import dev.flowline.catalogcache.CatalogCache;
import dev.flowline.contracts.WorkflowCommand;
import dev.flowline.contracts.WorkflowRunEvent;
import dev.flowline.contracts.WorkflowRunEvent.Kind;
import dev.flowline.contracts.WorkflowRunUpdate;
import dev.flowline.definitions.StepDefinition;
import dev.flowline.definitions.WorkflowDefinition;
import dev.flowline.servicekit.json.JsonSchemaValidation;
import dev.flowline.servicekit.problem.Problem.FieldError;
import dev.flowline.servicekit.problem.ProblemException;
import dev.flowline.servicekit.problem.ProblemType;

/**
 * What operators do to runs: re-run (a new run, same or edited input, pinned or latest version), resume (a new run
 * that reuses the outputs recorded before a step and runs from it) and cancel. Everything is checked before anything
 * starts: a request that fails a check starts nothing. Blocking: call from a worker thread.
 */
@ApplicationScoped
public class RunOperations {

    /** Which version a re-run uses: {@code same} (the run's), {@code latest}, or a version. */
    public static final String SAME = "same";
    public static final String LATEST = "latest";

    /** Who acts, for the record and for step permissions. */
    public record Caller(String subject, Set<String> roles) {
    }

    /** A run asked for: its command id, and its run id once Inngest started it (null when not yet). */
    public record RunStart(UUID commandId, String runId) {
    }

    @Inject
    CatalogCache catalog;

    @Inject
    CommandIntake intake;

    @Inject
    RunJournal journal;

    @Inject
    InngestClient inngest;

    /** How long a re-run or resume waits to answer the new run's id. */
    Duration startWait = Duration.ofSeconds(5);

    public RunStart rerun(String runId, JsonNode input, String version, Caller caller) {
        return rerun(runId, input, version, caller, startWait);
    }

    /** As {@link #rerun(String, JsonNode, String, Caller)}, waiting at most {@code wait} for the new run's id. */
    RunStart rerun(String runId, JsonNode input, String version, Caller caller, Duration wait) {
        RunEntity run = run(runId);
        String requested = version == null || version.isBlank() ? SAME : version;
        String target = switch (requested) {
            case SAME -> run.workflowVersion;
            case LATEST -> null;
            default -> requested;
        };
        CachedDefinition<WorkflowDefinition> definition = Blocking.inSession(() -> catalog.workflows().resolve(
                run.workflow,
                target)).orElseThrow(() -> ProblemException.invalid("/version",
                        "workflow " + run.workflow
                                + (target == null ? " has no published version" : " has no version " + target)));
        JsonNode effective = input == null ? StoredJson.unwrap(run.input) : input;
        List<FieldError> errors = JsonSchemaValidation.validate(JsonSchemaValidation.compile(definition.definition()
                .input(), JsonSchemaValidation.options("urn:flowline:workflow:" + definition.label())), effective,
                "/input");
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "the input does not match the input schema of "
                    + definition.label(), errors);
        }
        UUID commandId = UUID.randomUUID();
        // "latest" is pinned here, so the run uses the version the check used.
        return start(new RunRequest(commandId, run.workflow, definition.version(), source(caller),
                new WorkflowRunEvent.Origin(WorkflowRunEvent.OriginKind.RERUN, runId, null), null, null), effective,
                wait);
    }

    public RunStart resume(String runId, String fromStep, JsonNode input, Caller caller) {
        return resume(runId, fromStep, input, caller, startWait);
    }

    /** As {@link #resume(String, String, JsonNode, Caller)}, waiting at most {@code wait} for the new run's id. */
    RunStart resume(String runId, String fromStep, JsonNode input, Caller caller, Duration wait) {
        RunEntity run = run(runId);
        if (fromStep == null || fromStep.isBlank()) {
            throw ProblemException.invalid("/fromStep", "the step to resume from is required");
        }
        CachedDefinition<WorkflowDefinition> definition = Blocking
                .inSession(() -> catalog.workflows().resolve(run.workflow,
                        run.workflowVersion))
                .orElseThrow(() -> ProblemException.conflict("workflow " + run.workflow + "@"
                        + run.workflowVersion + ", which the run used, is no longer known to this service"));
        WorkflowDefinition.WorkflowStep step = definition.definition().step(fromStep);
        if (step == null) {
            throw ProblemException.invalid("/fromStep", "workflow " + definition.label() + " has no step " + fromStep);
        }
        CachedDefinition<StepDefinition> stepDefinition = Blocking
                .inSession(() -> catalog.steps().resolve(step.uses().name(),
                        step.uses().range()))
                .orElseThrow(() -> ProblemException.conflict("step " + fromStep + " uses "
                        + step.uses() + ", which has no published version"));
        List<String> allowed = stepDefinition.definition().permissions();
        if (!allowed.isEmpty() && allowed.stream().noneMatch(caller.roles()::contains)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "resuming from " + fromStep + " (" + stepDefinition
                    .label() + ") needs one of the roles " + allowed);
        }
        if (input != null) {
            List<FieldError> errors = JsonSchemaValidation.validate(JsonSchemaValidation.compile(stepDefinition
                    .definition().input(),
                    JsonSchemaValidation.options("urn:flowline:step:" + stepDefinition
                            .label())),
                    input, "/input");
            if (!errors.isEmpty()) {
                throw new ProblemException(ProblemType.VALIDATION_FAILED, "the input does not match the input "
                        + "schema of " + stepDefinition.label(), errors);
            }
        }
        List<StepAttemptEntity> attempts = Blocking.inSession(() -> StepAttemptEntity.<StepAttemptEntity>list(
                "key.runId = ?1 order by startedAt, key.execution, key.attempt", runId));
        Instant reached = attempts.stream().filter(a -> a.key.stepId().equals(fromStep)).map(a -> a.startedAt)
                .findFirst().orElse(null);
        if (reached == null) {
            throw ProblemException.invalid("/fromStep", "run " + runId + " never reached step " + fromStep);
        }
        // Per step, the output of each execution before fromStep was first reached, in execution order.
        Map<String, java.util.TreeMap<Integer, JsonNode>> outputs = new LinkedHashMap<>();
        for (StepAttemptEntity attempt : attempts) {
            boolean hasOutput = attempt.status == StepStatus.SUCCEEDED || attempt.status == StepStatus.SKIPPED
                    || attempt.status == StepStatus.REUSED;
            if (attempt.startedAt.isBefore(reached) && hasOutput && !attempt.key.stepId().equals(fromStep)) {
                outputs.computeIfAbsent(attempt.key.stepId(), k -> new java.util.TreeMap<>()).put(attempt.key
                        .execution(),
                        attempt.output == null
                                ? com.fasterxml.jackson.databind.node.NullNode.getInstance()
                                : StoredJson.unwrap(attempt.output));
            }
        }
        Map<String, List<JsonNode>> reuse = new LinkedHashMap<>();
        outputs.forEach((stepId, byExecution) -> reuse.put(stepId, List.copyOf(byExecution.values())));
        return start(new RunRequest(UUID.randomUUID(), run.workflow, run.workflowVersion, source(caller),
                new WorkflowRunEvent.Origin(WorkflowRunEvent.OriginKind.RESUME, runId, fromStep), reuse, input),
                StoredJson.unwrap(run.input), wait);
    }

    /** Cancels the run at Inngest (its waits end) and records it. */
    public void cancel(String runId, Caller caller) {
        RunEntity run = run(runId);
        if (run.status.ended()) {
            throw ProblemException.conflict("run " + runId + " already ended: " + run.status.name().toLowerCase(
                    java.util.Locale.ROOT));
        }
        try {
            // False: Inngest no longer knows the run; it is recorded as cancelled all the same.
            inngest.cancelRun(runId);
        } catch (java.io.IOException e) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "Inngest did not cancel run " + runId + ": " + e
                    .getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(ProblemType.UNAVAILABLE, "interrupted");
        }
        Instant now = Instant.now();
        String detail = "cancelled by " + caller.subject();
        List<RunJournal.Attached> update = run.commandId == null
                ? List.of()
                : List.of(RunPlanner.runUpdate(
                        run.commandId, runId, WorkflowRunUpdate.RunStatus.CANCELLED, detail, now));
        journal.recordNow(new WorkflowRunEvent(WorkflowRunEvent.messageIdFor(runId, Kind.RUN_CANCELLED, null, null,
                null), Kind.RUN_CANCELLED, runId, run.commandId, run.workflow, run.workflowVersion, null, null, null,
                null, null, null, null, null, detail, now), update);
    }

    /** The step a run failed at: the step of its last failed attempt; null when none failed. */
    public String failedStep(String runId) {
        StepAttemptEntity failed = Blocking.inSession(() -> StepAttemptEntity.<StepAttemptEntity>find(
                "key.runId = ?1 and status = ?2 order by startedAt desc", runId, StepStatus.FAILED).firstResult());
        return failed == null ? null : failed.key.stepId();
    }

    private RunStart start(RunRequest request, JsonNode input, Duration wait) {
        Optional<String> refused;
        try {
            refused = intake.start(request, input);
        } catch (CommandIntake.RetryLater e) {
            throw new ProblemException(ProblemType.UNAVAILABLE, e.getMessage());
        }
        if (refused.isPresent()) {
            throw ProblemException.conflict(refused.get());
        }
        Instant deadline = Instant.now().plus(wait);
        while (Instant.now().isBefore(deadline)) {
            RunEntity started = Blocking.inSession(() -> RunEntity.<RunEntity>find("commandId", request.commandId())
                    .firstResult());
            if (started != null) {
                return new RunStart(request.commandId(), started.runId);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return new RunStart(request.commandId(), null);
    }

    private RunEntity run(String runId) {
        RunEntity run = Blocking.inSession(() -> RunEntity.<RunEntity>findById(runId));
        if (run == null) {
            throw ProblemException.notFound("no run " + runId);
        }
        return run;
    }

    private static WorkflowCommand.Source source(Caller caller) {
        return new WorkflowCommand.Source(WorkflowCommand.SourceType.API, caller.subject(), null, null, null, null);
    }

}
