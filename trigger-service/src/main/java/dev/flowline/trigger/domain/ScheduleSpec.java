package dev.flowline.trigger.domain;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A schedule as written by its author (the body of the schedules API).
 *
 * @param cron five fields ({@code 0 6 * * 1-5}) or Quartz's form with seconds ({@code 0 0 6 ? * MON-FRI})
 * @param timeZone an IANA zone ({@code Europe/London}); UTC when absent
 * @param misfire what to do with slots missed while no instance ran: {@code fire-once} (default) or {@code skip}
 * @param overlap {@code allow} (default) or {@code skip} a slot while the previous run is still going
 */
@RegisterForReflection
public record ScheduleSpec(
        @NotBlank String cron,
        String timeZone,
        @NotBlank String workflow,
        String workflowVersion,
        JsonNode parameters,
        @Pattern(regexp = "active|inactive", message = "must be active or inactive") String status,
        @Pattern(regexp = "fire-once|skip", message = "must be fire-once or skip") String misfire,
        @Pattern(regexp = "allow|skip", message = "must be allow or skip") String overlap,
        String description) {

    public JsonNode parametersOrEmpty() {
        return parameters == null ? JsonNodeFactory.instance.objectNode() : parameters;
    }

    public String timeZoneOrDefault() {
        return timeZone == null ? "UTC" : timeZone;
    }
}
