package dev.flowline.trigger.domain;

import java.time.Clock;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.flowline.contracts.Versions;
import dev.flowline.expression.Condition;
import dev.flowline.expression.FunctionValues;
import dev.flowline.expression.JsonPath;

/** Evaluates one compiled trigger against one event; shared by event processing and the dry run. */
public final class TriggerEvaluator {

    /** Condition keys without {@code $} are relative to the event's data. */
    public static final JsonPath DATA = JsonPath.parse("$.data");

    /**
     * The result of one trigger on one event.
     *
     * @param parameters the workflow parameters, when it fired
     * @param failure the first failing condition, when it did not
     */
    public record Result(UUID triggerId, int revision, boolean fired, JsonNode parameters, Condition.Failure failure,
            String skipped) {

        public ObjectNode toJson() {
            ObjectNode json = JsonNodeFactory.instance.objectNode();
            if (triggerId != null) {
                json.put("triggerId", triggerId.toString());
                json.put("revision", revision);
            }
            json.put("fired", fired);
            if (parameters != null) {
                json.set("parameters", parameters);
            }
            if (skipped != null) {
                json.put("skipped", skipped);
            }
            if (failure != null) {
                ObjectNode f = json.putObject("failure");
                f.put("path", failure.path());
                f.put("operator", failure.operator());
                f.set("expected", failure.expected());
                f.set("actual", failure.actual());
            }
            return json;
        }
    }

    private TriggerEvaluator() {
    }

    /** @param envelope the event's {@link DomainEvent#envelope()}, built once for all its triggers */
    public static Result evaluate(TriggerSet.Compiled compiled, JsonNode envelope, String eventVersion,
            Clock clock) {
        var trigger = compiled.trigger();
        if (trigger.eventVersionRange != null && eventVersion != null
                && !Versions.satisfies(eventVersion, trigger.eventVersionRange)) {
            return new Result(trigger.id, trigger.revision, false, null, null, "event version " + eventVersion
                    + " is outside " + trigger.eventVersionRange);
        }
        Condition.Outcome outcome = compiled.condition().evaluate(envelope, DATA);
        if (!outcome.matched()) {
            return new Result(trigger.id, trigger.revision, false, null, outcome.failure(), null);
        }
        JsonNode parameters = compiled.parameters().evaluate(envelope, FunctionValues.fresh(clock));
        return new Result(trigger.id, trigger.revision, true, parameters, null, null);
    }
}
