package dev.flowline.bridge.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Any JSON value in a jsonb column: Hibernate Reactive binds a JSON column only as an object, so a value that may be
 * an array, a string, a number or null (a step's output, a run's input) is stored as {@code {"value": …}}.
 */
public final class StoredJson {

    private static final String MEMBER = "value";

    private StoredJson() {
    }

    /** The column value for {@code value}; null (SQL NULL) for none. */
    public static ObjectNode wrap(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return null;
        }
        ObjectNode stored = JsonNodeFactory.instance.objectNode();
        stored.set(MEMBER, value);
        return stored;
    }

    /** The value a column holds; null for SQL NULL. */
    public static JsonNode unwrap(JsonNode stored) {
        return stored == null ? null : stored.get(MEMBER);
    }
}
