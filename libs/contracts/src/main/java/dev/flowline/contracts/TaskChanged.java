package dev.flowline.contracts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A task changed, for the systems that tell people (notifications, chat): published by task-service on
 * {@link Topics#TASK_EVENTS} (key: the task id) next to the {@link TaskResolved} that resumes the run. inngest-bridge
 * skips these.
 *
 * @param version the task's version after the change: with the task id and kind it makes the message id
 * @param assignee who holds the task after the change, if anyone
 * @param detail what the change carried (the new assignee and priority of an escalation, a cancel's reason)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskChanged(UUID messageId, UUID taskId, long version, Kind kind, String correlationKey, String runId,
        String workflow, String stepId, String errorCode, String title, String assignee, int priority, Instant dueAt,
        String actor, JsonNode detail, Instant at) {

    public static final String MESSAGE_TYPE = "task-changed/v1";

    /** TaskCreated, TaskClaimed, … as one record with a kind. {@code RESOLVED} accompanies the TaskResolved. */
    public enum Kind {
        CREATED, CLAIMED, RELEASED, ASSIGNED, RESOLVED, ESCALATED, EXPIRED, CANCELLED
    }

    public TaskChanged {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(kind, "kind");
    }

    /** The same change of the same task version always has the same id. */
    public static UUID messageIdFor(UUID taskId, long version, Kind kind) {
        return UUID.nameUUIDFromBytes(("task-changed:" + taskId + ":" + version + ":" + kind)
                .getBytes(StandardCharsets.UTF_8));
    }
}
