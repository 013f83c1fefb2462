package dev.flowline.bridge.domain;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

import dev.flowline.contracts.WorkflowRunEvent.StepFailure;

/**
 * What a run is pinned to, decided in its first step and memoized: the workflow version and the step definition
 * version each workflow step uses, as published. A later publish never changes a running run.
 *
 * @param stepVersions workflow step id to the step definition it uses, {@code name@version}
 * @param stepDocuments step definition documents by {@code name@version}
 * @param rejected why the run cannot start (no such version, input not valid); null when it can
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record RunPlan(String workflow, String version, JsonNode definition, Map<String, String> stepVersions,
        Map<String, JsonNode> stepDocuments, JsonNode input, RunRequest request, Instant startedAt,
        StepFailure rejected) {
}
