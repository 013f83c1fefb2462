package dev.flowline.contracts;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A person resolved the task a {@link StepAwaitingTask} opened; on {@link Topics#TASK_EVENTS} (key: the task id).
 * inngest-bridge resumes the waiting run with it, once per {@code correlationKey}: a later resolution of the same
 * key changes nothing.
 *
 * @param taskVersion the task's version when resolved: a redelivery carries the same one
 * @param input for {@link Resolution#RETRY}: the patched input to call the step with; null for the same input
 * @param output for {@link Resolution#SKIP}: the output the run goes on with
 * @param reason why; for {@link Resolution#ABORT} the run fails with it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskResolved(UUID messageId, UUID taskId, long taskVersion, String correlationKey,
        Resolution resolution, JsonNode input, JsonNode output, String reason, String resolvedBy, Instant at) {

    public static final String MESSAGE_TYPE = "task-resolved/v1";

    public enum Resolution {
        RETRY, SKIP, ABORT
    }

    public TaskResolved {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(correlationKey, "correlationKey");
        Objects.requireNonNull(resolution, "resolution");
    }
}
