package dev.flowline.definitions;

import java.util.Comparator;

import com.fasterxml.jackson.databind.JsonNode;

/** Test helper: JSON equality where 1.5 read as a double and as a decimal are the same number. */
final class Numbers {

    static final Comparator<JsonNode> BY_VALUE = (a, b) -> {
        if (a.equals(b)) {
            return 0;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return 1;
    };

    private Numbers() {
    }
}
