package dev.flowline.definitions;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A retry policy: how many attempts in all, and the backoff between them.
 *
 * @param maxAttempts attempts in all, the first included; null when not said
 */
public record Retry(Integer maxAttempts, Backoff backoff) {

    /** Exponential backoff; every member optional. */
    public record Backoff(Duration initialInterval, BigDecimal rate, Duration maxDelay, BigDecimal jitter) {
    }

    static Retry read(Members members) {
        if (members == null) {
            return null;
        }
        Integer maxAttempts = members.integer("maxAttempts");
        Members backoff = members.object("backoff");
        return new Retry(maxAttempts, backoff == null
                ? null
                : new Backoff(Duration.read(backoff, "initialInterval"), backoff.decimal("rate"),
                        Duration.read(backoff, "maxDelay"), backoff.decimal("jitter")));
    }

    static Retry read(JsonNode json, String at, List<DefinitionError> errors) {
        return json == null ? null : read(Members.nested(json, at, errors, Set.of()));
    }

    JsonNode toJson() {
        ObjectNode out = Members.NODES.objectNode();
        if (maxAttempts != null) {
            out.put("maxAttempts", maxAttempts);
        }
        if (backoff != null) {
            ObjectNode b = out.putObject("backoff");
            if (backoff.initialInterval() != null) {
                b.put("initialInterval", backoff.initialInterval().text());
            }
            if (backoff.rate() != null) {
                b.set("rate", Members.number(backoff.rate()));
            }
            if (backoff.maxDelay() != null) {
                b.put("maxDelay", backoff.maxDelay().text());
            }
            if (backoff.jitter() != null) {
                b.set("jitter", Members.number(backoff.jitter()));
            }
        }
        return out;
    }
}
