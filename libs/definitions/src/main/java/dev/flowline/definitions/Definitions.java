package dev.flowline.definitions;

import dev.flowline.contracts.CatalogKind;

/** Facts of the definition language that hold for every kind. */
public final class Definitions {

    private Definitions() {
    }

    /** The member holding a definition's name: {@code type} for event types, {@code name} otherwise. */
    public static String nameMember(CatalogKind kind) {
        return kind == CatalogKind.EVENT_TYPE ? "type" : "name";
    }
}
