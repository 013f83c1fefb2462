package dev.flowline.bridge.inngest;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** What a function run sees in one call: its triggering event(s), the run id, the attempt and the step tools. */
public record FunctionContext(JsonNode event, List<JsonNode> events, String runId, int attempt, Step step) {
}
