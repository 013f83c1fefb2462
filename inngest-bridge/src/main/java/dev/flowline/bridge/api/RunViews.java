package dev.flowline.bridge.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

import dev.flowline.bridge.domain.RunOperations;
import dev.flowline.bridge.domain.RunQueries;
import dev.flowline.bridge.persistence.RunEntity;
import dev.flowline.bridge.persistence.StepAttemptEntity;
import dev.flowline.bridge.persistence.StoredJson;

/** The runs API's documents. */
public final class RunViews {

    private RunViews() {
    }

    /** The run this one was re-run or resumed from. */
    @RegisterForReflection
    public record Origin(String kind, String runId, String fromStep) {
        static Origin of(RunEntity run) {
            return run.originKind == null
                    ? null
                    : new Origin(run.originKind.toLowerCase(java.util.Locale.ROOT),
                            run.originRunId, run.originStep);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    public record RunSummary(String runId, String workflow, String version, String status, UUID commandId,
            UUID triggerId, Origin origin, String waitingFor, Instant startedAt, Instant endedAt) {
        static RunSummary of(RunEntity run) {
            return new RunSummary(run.runId, run.workflow, run.workflowVersion, run.status.name().toLowerCase(
                    java.util.Locale.ROOT), run.commandId, run.triggerId, Origin.of(run), run.waitingFor,
                    run.startedAt, run.endedAt);
        }
    }

    /** A page of runs; {@code next} is the cursor of the next page, absent on the last. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    public record RunPage(List<RunSummary> items, String next) {
        static RunPage of(RunQueries.Page page) {
            return new RunPage(page.runs().stream().map(RunSummary::of).toList(), page.next());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    public record StepAttempt(String stepId, int execution, int attempt, String status, JsonNode input,
            JsonNode output, JsonNode error, String task, String resolution, Instant startedAt, Instant endedAt) {
        static StepAttempt of(StepAttemptEntity a) {
            return new StepAttempt(a.key.stepId(), a.key.execution(), a.key.attempt(), a.status.name().toLowerCase(
                    java.util.Locale.ROOT), StoredJson.unwrap(a.input), StoredJson.unwrap(a.output), a.error, a.taskKey,
                    a.resolution, a.startedAt,
                    a.endedAt);
        }
    }

    /**
     * A run with every step attempt.
     *
     * @param waitingFor the correlation key of the task the run waits for
     * @param resolutionReceived whether that task's resolution arrived and the run is about to take it
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    public record RunDetail(String runId, String workflow, String version, String status, UUID commandId,
            UUID triggerId, Origin origin, JsonNode input, JsonNode output, JsonNode error, String waitingFor,
            Boolean resolutionReceived, List<StepAttempt> steps, Instant startedAt, Instant endedAt,
            Instant updatedAt) {
        static RunDetail of(RunQueries.RunDetail detail) {
            RunEntity run = detail.run();
            return new RunDetail(run.runId, run.workflow, run.workflowVersion, run.status.name().toLowerCase(
                    java.util.Locale.ROOT), run.commandId, run.triggerId, Origin.of(run), StoredJson.unwrap(run.input),
                    StoredJson.unwrap(run.output),
                    run.error, run.waitingFor, run.waitingFor == null ? null : detail.pendingResolution() != null,
                    detail.attempts().stream().map(StepAttempt::of).toList(), run.startedAt, run.endedAt,
                    run.updatedAt);
        }
    }

    /**
     * @param input the new run's input; absent: the original run's
     * @param version {@code "same"} (default), {@code "latest"} or a version
     */
    @RegisterForReflection
    public record RerunRequest(JsonNode input, JsonNode version) {
    }

    /**
     * @param fromStep the step to run from (the steps before it are not called again)
     * @param input that step's input instead of its mapped one; absent: the mapped one
     */
    @RegisterForReflection
    public record ResumeRequest(String fromStep, JsonNode input) {
    }

    /** A new run was asked for; {@code runId} once Inngest started it (absent if that took longer than a moment). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    public record RunStarted(UUID commandId, String runId, String origin) {
        static RunStarted of(RunOperations.RunStart start, String origin) {
            return new RunStarted(start.commandId(), start.runId(), origin);
        }
    }

    /**
     * Which runs a bulk job takes: {@code workflow} is required; {@code status} defaults to {@code failed}; {@code from}
     * and {@code to} bound the start time; {@code errorCode}: runs with an attempt that failed with it.
     */
    @RegisterForReflection
    public record BulkFilter(String workflow, String version, String status, String from, String to,
            String errorCode) {
    }

    /** @param version {@code "same"} (default), {@code "latest"} or a version */
    @RegisterForReflection
    public record BulkRerunRequest(BulkFilter filter, JsonNode version) {
    }

    /** @param fromStep the step to resume each run from; absent: each run's failed step */
    @RegisterForReflection
    public record BulkResumeRequest(BulkFilter filter, String fromStep) {
    }

    @RegisterForReflection
    public record BulkRunResult(String runId, String outcome, UUID commandId, String detail, Instant at) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    public record BulkJob(UUID jobId, String operation, String status, JsonNode filter, String requestedBy,
            Integer matched, List<BulkRunResult> runs, Instant createdAt, Instant finishedAt) {
        static BulkJob of(dev.flowline.bridge.domain.BulkJobs.JobView view) {
            var job = view.job();
            return new BulkJob(job.jobId, job.operation.name().toLowerCase(java.util.Locale.ROOT), job.status.name()
                    .toLowerCase(java.util.Locale.ROOT), job.filter, job.requestedBy, job.matched,
                    view.runs()
                            .stream().map(r -> new BulkRunResult(r.key.runId(), r.outcome.name().toLowerCase(
                                    java.util.Locale.ROOT), r.commandId, r.detail, r.at))
                            .toList(),
                    job.createdAt,
                    job.finishedAt);
        }
    }
}
