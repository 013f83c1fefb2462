package dev.flowline.trigger.domain;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A trigger as written by its author (the body of the triggers API, and a draft in a dry run).
 *
 * @param eventVersion a version range of the event type, or null for any
 * @param workflowVersion a pinned workflow version, or null for the newest published
 * @param conditions a condition (dot paths relative to the event's data, {@code $.} paths from the envelope)
 * @param parameters a mapping from the event envelope to the workflow's input
 */
@RegisterForReflection
public record TriggerSpec(
        @NotBlank String eventType,
        String eventVersion,
        @NotBlank String workflow,
        String workflowVersion,
        JsonNode conditions,
        JsonNode parameters,
        @Pattern(regexp = "active|inactive|deprecated", message = "must be active, inactive or deprecated") String status,
        String description) {

    public JsonNode conditionsOrEmpty() {
        return conditions == null ? JsonNodeFactory.instance.objectNode() : conditions;
    }

    public JsonNode parametersOrEmpty() {
        return parameters == null ? JsonNodeFactory.instance.objectNode() : parameters;
    }

    public String statusOrDefault() {
        return status == null ? "active" : status;
    }
}
