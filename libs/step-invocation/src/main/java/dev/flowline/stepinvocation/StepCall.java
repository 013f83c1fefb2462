package dev.flowline.stepinvocation;

import java.time.Duration;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One attempt's call of a step's binding.
 *
 * @param payload {@code {"input": …, "context": {"runId", "stepId", "attempt", "workflow", "version",
 *        "idempotencyKey"}}}
 * @param idempotencyKey the same for every call of the same attempt (run, step, execution, attempt)
 */
public record StepCall(ObjectNode payload, String idempotencyKey, Duration timeout) {
}
