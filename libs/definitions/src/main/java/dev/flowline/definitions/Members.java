package dev.flowline.definitions;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.flowline.expression.ExpressionException;
import dev.flowline.expression.JsonPointers;

/**
 * Reads the members of one JSON object of a definition, collecting errors (with pointers) instead of failing at the
 * first, and remembering which members were read so the others are kept as unknown.
 */
final class Members {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonNode object;
    private final String at;
    private final List<DefinitionError> errors;
    private final Set<String> known;

    Members(JsonNode object, String at, List<DefinitionError> errors, Set<String> known) {
        this.object = object;
        this.at = at;
        this.errors = errors;
        this.known = known;
        if (!object.isObject()) {
            errors.add(new DefinitionError(at, "must be an object"));
        }
    }

    static Members root(JsonNode document, List<DefinitionError> errors, Set<String> known) {
        return new Members(document == null ? NODES.nullNode() : document, "", errors, known);
    }

    String pointer(String member) {
        return JsonPointers.append(at, member);
    }

    JsonNode get(String member) {
        JsonNode value = object.get(member);
        return value == null || value.isNull() ? null : value;
    }

    String requiredText(String member) {
        JsonNode value = get(member);
        if (value == null || !value.isTextual()) {
            errors.add(new DefinitionError(pointer(member), member + " is required (a string)"));
            return null;
        }
        return value.asText();
    }

    String text(String member) {
        JsonNode value = get(member);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            errors.add(new DefinitionError(pointer(member), member + " must be a string"));
            return null;
        }
        return value.asText();
    }

    Integer integer(String member) {
        JsonNode value = get(member);
        if (value == null) {
            return null;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            errors.add(new DefinitionError(pointer(member), member + " must be an integer"));
            return null;
        }
        return value.intValue();
    }

    BigDecimal decimal(String member) {
        JsonNode value = get(member);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            errors.add(new DefinitionError(pointer(member), member + " must be a number"));
            return null;
        }
        return value.decimalValue();
    }

    boolean bool(String member, boolean otherwise) {
        JsonNode value = get(member);
        if (value == null) {
            return otherwise;
        }
        if (!value.isBoolean()) {
            errors.add(new DefinitionError(pointer(member), member + " must be true or false"));
            return otherwise;
        }
        return value.asBoolean();
    }

    List<String> texts(String member) {
        JsonNode value = get(member);
        List<String> texts = new ArrayList<>();
        if (value == null) {
            return texts;
        }
        if (!value.isArray()) {
            errors.add(new DefinitionError(pointer(member), member + " must be a list of strings"));
            return texts;
        }
        for (int i = 0; i < value.size(); i++) {
            if (value.get(i).isTextual()) {
                texts.add(value.get(i).asText());
            } else {
                errors.add(new DefinitionError(JsonPointers.append(pointer(member), i), "must be a string"));
            }
        }
        return texts;
    }

    /** A nested object member, read by {@code reader} at its pointer; null when absent. */
    Members object(String member) {
        JsonNode value = get(member);
        return value == null ? null : new Members(value, pointer(member), errors, Set.of());
    }

    /** Runs a parse of the expression language, turning its errors into definition errors. */
    <T> T expression(Supplier<T> parse) {
        try {
            return parse.get();
        } catch (ExpressionException e) {
            e.errors().forEach(err -> errors.add(new DefinitionError(err.pointer(), err.message())));
            return null;
        }
    }

    void error(String pointer, String message) {
        errors.add(new DefinitionError(pointer, message));
    }

    /** The members no reader asked for, kept as they were. */
    ObjectNode unknown() {
        ObjectNode unknown = NODES.objectNode();
        if (object.isObject()) {
            object.fields().forEachRemaining(e -> {
                if (!known.contains(e.getKey())) {
                    unknown.set(e.getKey(), e.getValue().deepCopy());
                }
            });
        }
        return unknown;
    }

    static Members nested(JsonNode value, String at, List<DefinitionError> errors, Set<String> known) {
        return new Members(value, at, errors, known);
    }

    static void putIfPresent(ObjectNode out, String member, String value) {
        if (value != null) {
            out.put(member, value);
        }
    }

    static void putIfPresent(ObjectNode out, String member, JsonNode value) {
        if (value != null) {
            out.set(member, value.deepCopy());
        }
    }

    /** A decimal as Jackson reads it back: whole numbers as integers, so a round trip compares equal. */
    static JsonNode number(BigDecimal value) {
        BigDecimal plain = value.stripTrailingZeros();
        if (plain.scale() <= 0) {
            try {
                return NODES.numberNode(plain.intValueExact());
            } catch (ArithmeticException e) {
                return NODES.numberNode(plain.toBigInteger());
            }
        }
        return NODES.numberNode(value);
    }

    static void throwIfAny(List<DefinitionError> errors) {
        if (!errors.isEmpty()) {
            throw new DefinitionException(errors);
        }
    }
}
