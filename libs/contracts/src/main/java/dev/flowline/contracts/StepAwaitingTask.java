package dev.flowline.contracts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A run waits for a person: a step failed with a declared error code whose policy is {@code task}. Published by
 * inngest-bridge on {@link Topics#WORKFLOW_LIFECYCLE} (key: the run id); task-service opens one task per
 * {@code correlationKey} and answers with a {@link TaskResolved} carrying the same key.
 *
 * @param correlationKey run, step, execution and attempt: unique per failed attempt, the same on every replay
 * @param step the step definition the workflow step uses, {@code name@version}
 * @param taskType the workflow's task type for this error, or null for the one derived from step and code
 * @param input the input the failed attempt was called with (a resolution may patch it)
 * @param dueAt when the run stops waiting and the step fails
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepAwaitingTask(UUID messageId, String correlationKey, String runId, String workflow,
        String workflowVersion, String stepId, String step, int execution, int attempt, String errorCode,
        String errorMessage, JsonNode errorData, JsonNode input, String taskType, Instant dueAt, Instant at) {

    public static final String MESSAGE_TYPE = "step-awaiting-task/v1";

    public static String correlationKey(String runId, String stepId, int execution, int attempt) {
        return runId + "/" + stepId + "/" + execution + "/" + attempt;
    }

    public static UUID messageIdFor(String correlationKey) {
        return UUID.nameUUIDFromBytes(("awaiting-task:" + correlationKey).getBytes(StandardCharsets.UTF_8));
    }
}
