package dev.flowline.expression;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Supplies the values of mapping functions ({@code NOW()}, {@code UUID()}). A value is computed once per place in the
 * mapping and remembered, so evaluating the same mapping again (a retry, a replay) sees the same value; persist
 * {@link #recorded()} with the evaluation and restore it with {@link #replaying(Map, Clock)}.
 */
public final class FunctionValues {

    /** The closed set of functions a mapping may call. */
    public enum Function {
        NOW, UUID
    }

    private final Clock clock;
    private final Map<String, JsonNode> recorded;

    private FunctionValues(Map<String, JsonNode> recorded, Clock clock) {
        this.clock = clock;
        this.recorded = new HashMap<>(recorded);
    }

    public static FunctionValues fresh(Clock clock) {
        return new FunctionValues(Map.of(), clock);
    }

    public static FunctionValues replaying(Map<String, JsonNode> recorded, Clock clock) {
        return new FunctionValues(recorded, clock);
    }

    /** The value of {@code function} at {@code pointer}: the recorded one if there is one, else a new one. */
    public JsonNode valueAt(Function function, String pointer) {
        return recorded.computeIfAbsent(pointer, p -> switch (function) {
            case NOW -> TextNode.valueOf(clock.instant().toString());
            case UUID -> TextNode.valueOf(java.util.UUID.randomUUID().toString());
        });
    }

    public Map<String, JsonNode> recorded() {
        return Map.copyOf(recorded);
    }

    static String names() {
        return "NOW(), UUID()";
    }

}
