package dev.flowline.bridge.inngest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The body of a call request: the triggering event(s), the memoized steps keyed by hashed id, and the run's context.
 *
 * @param maxAttempts attempts allowed per step or function call; the last one fails for good instead of retrying
 * @param useApi the server trimmed the payload: events and steps must be fetched from its API
 * @param functionId Inngest's id of the function ({@code ctx.fn_id}), null when not sent
 * @param queueItemId the queue item this call came from ({@code ctx.qi_id}): a checkpoint sends it back; null when
 *        not sent, and then the call does not checkpoint
 */
public record CallRequest(JsonNode event, List<JsonNode> events, Map<String, JsonNode> steps, String runId,
        int attempt, boolean disableImmediateExecution, int maxAttempts, boolean useApi, String functionId,
        String queueItemId) {

    /** @throws IllegalArgumentException when {@code body} is not a call request */
    public static CallRequest parse(JsonNode body, int defaultMaxAttempts) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("a call request is a JSON object");
        }
        JsonNode ctx = body.path("ctx");
        List<JsonNode> events = new ArrayList<>();
        body.path("events").forEach(events::add);
        JsonNode event = body.path("event");
        if (event.isMissingNode() && !events.isEmpty()) {
            event = events.get(0);
        }
        if (events.isEmpty() && !event.isMissingNode()) {
            events.add(event);
        }
        return new CallRequest(event, List.copyOf(events), steps(body.path("steps")), ctx.path("run_id").asText(""),
                ctx.path("attempt").asInt(0), ctx.path("disable_immediate_execution").asBoolean(false),
                ctx.path("max_attempts").isInt() ? ctx.path("max_attempts").asInt() : defaultMaxAttempts,
                ctx.path("use_api").asBoolean(false), text(ctx.path("fn_id")), text(ctx.path("qi_id")));
    }

    private static String text(JsonNode value) {
        return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    /** The {@code steps} object of a call request (or of the API's {@code actions}) as id to memoized value. */
    public static Map<String, JsonNode> steps(JsonNode steps) {
        Map<String, JsonNode> memo = new LinkedHashMap<>();
        steps.fields().forEachRemaining(e -> memo.put(e.getKey(), e.getValue()));
        return memo;
    }

    public CallRequest withFetched(List<JsonNode> fetchedEvents, Map<String, JsonNode> fetchedSteps) {
        List<JsonNode> all = fetchedEvents == null || fetchedEvents.isEmpty() ? events : fetchedEvents;
        return new CallRequest(all.isEmpty() ? event : all.get(0), List.copyOf(all),
                fetchedSteps == null ? steps : fetchedSteps, runId, attempt, disableImmediateExecution, maxAttempts,
                false, functionId, queueItemId);
    }
}
