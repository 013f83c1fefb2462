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
        JsonNode effective = input == null ? run.input : input;
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
                new WorkflowRunEvent.Origin(WorkflowRunEvent.OriginKind.RERUN, runId, null), null, null), effective);
    }

    public RunStart resume(String runId, String fromStep, JsonNode input, Caller caller) {
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
        Map<String, JsonNode> reuse = new LinkedHashMap<>();
        for (StepAttemptEntity attempt : attempts) {
            boolean before = reached == null || attempt.startedAt.isBefore(reached);
            boolean hasOutput = attempt.status == StepStatus.SUCCEEDED || attempt.status == StepStatus.SKIPPED
                    || attempt.status == StepStatus.REUSED;
            if (before && hasOutput && !attempt.key.stepId().equals(fromStep)) {
                reuse.put(attempt.key.stepId(), attempt.output == null
                        ? com.fasterxml.jackson.databind.node.NullNode
                                .getInstance()
                        : attempt.output);
            }
        }
        return start(new RunRequest(UUID.randomUUID(), run.workflow, run.workflowVersion, source(caller),
                new WorkflowRunEvent.Origin(WorkflowRunEvent.OriginKind.RESUME, runId, fromStep), reuse, input),
                run.input);
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

    private RunStart start(RunRequest request, JsonNode input) {
        Optional<String> refused = intake.start(request, input);
        if (refused.isPresent()) {
            throw ProblemException.conflict(refused.get());
        }
        Instant deadline = Instant.now().plus(startWait);
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
