package dev.flowline.contracts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One thing that happened in a workflow run, published by inngest-bridge on {@link Topics#WORKFLOW_LIFECYCLE} keyed by
 * the run id. The bridge's runs projection is built from these records. Inngest replays a run's code many times, so
 * the message id is derived from what happened ({@link #messageIdFor}): a replay publishes the same record again,
 * never a different duplicate, and consumers drop it by id.
 *
 * @param execution for step records: which execution of the step (1 for the first; a loop or a task's retry runs it
 *        again), null for run records
 * @param attempt for step records: the attempt within the execution, from 0
 * @param input the run's input (run started) or the step's (step started)
 * @param output the run's output (completed), or the step's (succeeded, skipped, reused)
 * @param error what failed (step failed, run failed)
 * @param origin the run this one was re-run or resumed from; null for a run a command started
 * @param source for run started: what asked for the run (API, trigger, schedule); null when not known
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkflowRunEvent(UUID messageId, Kind kind, String runId, UUID commandId, String workflow,
        String workflowVersion, String stepId, Integer execution, Integer attempt, JsonNode input, JsonNode output,
        StepFailure error, Origin origin, WorkflowCommand.Source source, String detail, Instant at) {

    public static final String MESSAGE_TYPE = "workflow-run-event/v1";

    public enum Kind {
        RUN_STARTED, STEP_STARTED, STEP_SUCCEEDED, STEP_FAILED,
        /** A resume reused the step's output recorded by the original run; the step was not called. */
        STEP_REUSED,
        /** The step's error policy (or a task's resolution) skipped it with a substitute output. */
        STEP_SKIPPED,
        /** The step waits for a human task ({@link StepAwaitingTask} carries the details). */
        STEP_AWAITING_TASK,
        /** A task resolution arrived and the run goes on ({@code detail}: retry, skip or abort). */
        STEP_RESUMED, RUN_COMPLETED, RUN_FAILED, RUN_CANCELLED;

        public boolean endsRun() {
            return this == RUN_COMPLETED || this == RUN_FAILED || this == RUN_CANCELLED;
        }
    }

    /** How a run relates to the run it came from. */
    public enum OriginKind {
        RERUN, RESUME
    }

    public record Origin(OriginKind kind, String runId, String fromStep) {
    }

    /**
     * Why a step or run failed.
     *
     * @param code the step's declared error code, or a {@code flowline.*} code for what the runner found wrong
     * @param system whether the failure is the system's (an undeclared code, an invalid payload, an unreachable
     *        endpoint) rather than one the step declared
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StepFailure(String code, String message, JsonNode data, boolean system) {
    }

    /** The id of the record of {@code kind} for a run (step null) or a step attempt. */
    public static UUID messageIdFor(String runId, Kind kind, String stepId, Integer execution, Integer attempt) {
        String name = "run:" + runId + ":" + kind + (stepId == null
                ? ""
                : ":" + stepId + ":" + execution + ":"
                        + attempt);
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
