package dev.flowline.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * What became of the run a command started, published by inngest-bridge on {@link Topics#WORKFLOW_LIFECYCLE} keyed by
 * the command id. Consumers apply updates idempotently: by {@code messageId}, and never from a terminal status back to
 * a running one.
 *
 * @param runId the orchestrator's run id (Inngest's), once known
 * @param detail a short human-readable reason, for failures and cancellations
 */
public record WorkflowRunUpdate(UUID messageId, UUID commandId, String runId, RunStatus status, String detail,
        Instant at) {

    public static final String MESSAGE_TYPE = "workflow-run-update/v1";

    public enum RunStatus {
        STARTED, COMPLETED, FAILED, CANCELLED;

        public boolean terminal() {
            return this != STARTED;
        }
    }
}
