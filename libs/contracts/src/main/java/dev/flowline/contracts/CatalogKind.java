package dev.flowline.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The kinds of definitions the catalog owns. The wire name is used in keys and URLs. */
public enum CatalogKind {
    STEP("step", "steps"), WORKFLOW("workflow", "workflows"), EVENT_TYPE("event-type", "event-types");

    private final String wireName;
    private final String collection;

    CatalogKind(String wireName, String collection) {
        this.wireName = wireName;
        this.collection = collection;
    }

    /** The kind's collection in catalog-service's API: {@code /api/steps}, {@code /api/workflows}, ... */
    public String collection() {
        return collection;
    }

    /** The kind of a collection name; empty for anything else. */
    public static java.util.Optional<CatalogKind> fromCollection(String collection) {
        for (CatalogKind kind : values()) {
            if (kind.collection.equals(collection)) {
                return java.util.Optional.of(kind);
            }
        }
        return java.util.Optional.empty();
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
