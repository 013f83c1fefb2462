package dev.flowline.bridge.inngest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.flowline.inngest.protocol.TimeStrings;

/**
 * The step tools of a function. Each call is identified by its {@code id} (repeats in a loop are numbered); a step
 * that already completed in an earlier call request answers its memoized result, a new one ends this call request
 * and is reported to the server, which calls again once it completed. So code between steps may run several times:
 * keep side effects inside {@link #run}.
 */
public final class Step {

    private final Execution execution;

    Step(Execution execution) {
        this.execution = execution;
    }

    /** Runs {@code body} once for the whole run, retried on failure; its result is memoized as JSON. */
    public <T> T run(String id, Class<T> type, Callable<? extends T> body) {
        JsonNode data = execution.runStep(id, null, () -> execution.json().valueToTree(body.call()));
        return data == null || data.isNull() ? null : execution.json().convertValue(data, type);
    }

    /**
     * Runs {@code body} with {@code input} once for the whole run, as {@link #run(String, Class, Callable)}. The input
     * is recorded with the step, and a re-run from this step may give it another input: the body then gets that one.
     */
    public <T> T run(String id, Class<T> type, Object input, java.util.function.Function<JsonNode, ? extends T> body) {
        JsonNode data = execution.runStep(id, null, execution.json().valueToTree(input), given -> execution.json()
                .valueToTree(body.apply(given)));
        return data == null || data.isNull() ? null : execution.json().convertValue(data, type);
    }

    /** As {@link #run(String, Class, Callable)}, answering the memoized JSON. */
    public JsonNode run(String id, Callable<?> body) {
        return execution.runStep(id, null, () -> execution.json().valueToTree(body.call()));
    }

    /**
     * Runs steps in parallel (the server may run them at once) and answers each one's memoized JSON by id, once all
     * completed. Each id is a step of its own, as for {@link #run(String, Callable)}.
     */
    public java.util.Map<String, JsonNode> parallel(java.util.Map<String, Callable<?>> bodies) {
        java.util.Map<String, Callable<JsonNode>> json = new java.util.LinkedHashMap<>();
        bodies.forEach((id, body) -> json.put(id, () -> execution.json().valueToTree(body.call())));
        return execution.parallel(json);
    }

    /**
     * Invokes another function ({@code functionId} as Inngest knows it, {@code <app id>-<function id>}) with
     * {@code data} as its event's data, and answers what it returned; its failure is a {@link StepError} here, as is
     * a {@code timeout} (null: a year) that passes first.
     */
    public JsonNode invoke(String id, String functionId, Object data, Duration timeout) {
        return execution.asyncStep(id, "InvokeFunction", id, opts -> {
            opts.put("function_id", functionId);
            opts.putObject("payload").set("data", execution.json().valueToTree(data));
            if (timeout != null) {
                opts.put("timeout", TimeStrings.format(timeout));
            }
        });
    }

    /** Ends this call request; the server calls again after {@code duration}. */
    public void sleep(String id, Duration duration) {
        String time = TimeStrings.format(duration);
        execution.asyncStep(id, "Sleep", time, opts -> opts.put("duration", time));
    }

    /** Ends this call request; the server calls again at {@code until}. */
    public void sleepUntil(String id, Instant until) {
        String time = until.toString();
        execution.asyncStep(id, "Sleep", time, opts -> opts.put("duration", time));
    }

    /**
     * Waits for an event named {@code event} (optionally matching {@code ifExpression}, where {@code event} is the
     * triggering event and {@code async} the awaited one), at most {@code timeout}.
     *
     * @return the event, or empty when the timeout passed first
     */
    public Optional<JsonNode> waitForEvent(String id, String event, Duration timeout, String ifExpression) {
        JsonNode result = execution.asyncStep(id, "WaitForEvent", event, opts -> {
            opts.put("event", event);
            opts.put("timeout", TimeStrings.format(timeout));
            if (ifExpression != null) {
                opts.put("if", ifExpression);
            }
        });
        return result == null || result.isNull() ? Optional.empty() : Optional.of(result);
    }

    /**
     * Sends events as a step, so a retried run does not send them twice; each event needs a {@code name} and gets an
     * id if it has none (the id deduplicates the runs it starts, see {@link InngestClient#send}).
     *
     * @return the ids the Event API gave the sent events (Inngest's, not the ids sent)
     */
    public List<String> sendEvent(String id, List<?> events) {
        JsonNode result = execution.runStep(id, "sendEvent", () -> {
            List<JsonNode> payload = new ArrayList<>();
            for (Object e : events) {
                payload.add(execution.json().valueToTree(e));
            }
            ObjectNode answer = execution.json().createObjectNode();
            answer.set("ids", execution.json().valueToTree(execution.sender().send(payload)));
            return answer;
        });
        List<String> ids = new ArrayList<>();
        result.path("ids").forEach(n -> ids.add(n.asText()));
        return ids;
    }
}
