package dev.flowline.contracts;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A request to start a workflow, on {@link Topics#WORKFLOW_COMMANDS} (key: the command id). The command id is also
 * the Inngest event id the bridge sends, so a duplicate command never starts a second run.
 *
 * @param workflowVersion the pinned version, or null for the newest published one
 * @param parameters the workflow input
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkflowCommand(UUID commandId, String workflow, String workflowVersion, JsonNode parameters,
        Source source, Instant createdAt) {

    public static final String MESSAGE_TYPE = "workflow-command/v1";

    /** What asked for the run. */
    public enum SourceType {
        API, TRIGGER, SCHEDULE
    }

    /**
     * @param requestedBy the caller's subject, for API commands
     * @param triggerId and {@code eventId}: for trigger firings
     * @param scheduleId and {@code slot}: for schedule firings
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Source(SourceType type, String requestedBy, UUID triggerId, String eventId, UUID scheduleId,
            Instant slot) {
    }

    public WorkflowCommand {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(workflow, "workflow");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** The command id of a trigger firing: the same event and trigger always give the same id. */
    public static UUID triggerCommandId(UUID triggerId, String eventId) {
        return UUID.nameUUIDFromBytes(("trigger:" + triggerId + ":" + eventId).getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * The command id of an API request with an idempotency key: one per caller and key, so concurrent retries of one
     * request all name the same command (the caller's name is length-prefixed: no two caller/key pairs collide).
     */
    public static UUID apiCommandId(String requestedBy, String idempotencyKey) {
        return UUID.nameUUIDFromBytes(("api:" + requestedBy.length() + ":" + requestedBy + ":" + idempotencyKey)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The command id of a schedule firing: one per schedule and slot. */
    public static UUID scheduleCommandId(UUID scheduleId, Instant slot) {
        return UUID.nameUUIDFromBytes(("schedule:" + scheduleId + ":" + slot).getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
    }
}
