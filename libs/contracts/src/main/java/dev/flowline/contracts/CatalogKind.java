package dev.flowline.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The kinds of definitions the catalog owns. The wire name is used in keys and URLs. */
public enum CatalogKind {
    STEP("step"), WORKFLOW("workflow"), EVENT_TYPE("event-type");

    private final String wireName;

    CatalogKind(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static CatalogKind fromWireName(String name) {
        for (CatalogKind kind : values()) {
            if (kind.wireName.equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown catalog kind: " + name);
    }
}
