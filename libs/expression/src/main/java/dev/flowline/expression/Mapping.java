package dev.flowline.expression;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A mapping produces a JSON document from a source document: trigger parameters, a step's {@code with}, a workflow's
 * {@code output}. Written as JSON where a string {@code "$.a.b"} is a path into the source, a string {@code "NOW()"}
 * or {@code "UUID()"} calls a function, objects and arrays map member by member, and everything else is a literal.
 * Parsed once when the definition is saved; evaluating it only reads.
 */
public sealed interface Mapping {

    record Literal(JsonNode value) implements Mapping {
    }

    record PathRef(JsonPath path, String pointer) implements Mapping {
    }

    record Call(FunctionValues.Function function, String pointer) implements Mapping {
    }

    record ObjectMapping(Map<String, Mapping> members) implements Mapping {
    }

    record ArrayMapping(List<Mapping> items) implements Mapping {
    }

    Pattern CALL = Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)\\(\\s*\\)$");

    /**
     * Parses a mapping.
     *
     * @param pointer where {@code json} sits in the document being saved; errors point below it
     * @throws ExpressionException listing every invalid place
     */
    static Mapping parse(JsonNode json, String pointer) {
        List<ExpressionError> errors = new ArrayList<>();
        Mapping mapping = parse(json, pointer, errors);
        if (!errors.isEmpty()) {
            throw new ExpressionException(errors);
        }
        return mapping;
    }

    private static Mapping parse(JsonNode json, String pointer, List<ExpressionError> errors) {
        if (json.isObject()) {
            Map<String, Mapping> members = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                members.put(field.getKey(), parse(field.getValue(), JsonPointers.append(pointer, field.getKey()),
                        errors));
            }
            return new ObjectMapping(members);
        }
        if (json.isArray()) {
            List<Mapping> items = new ArrayList<>();
            for (int i = 0; i < json.size(); i++) {
                items.add(parse(json.get(i), JsonPointers.append(pointer, i), errors));
            }
            return new ArrayMapping(items);
        }
        if (json.isTextual()) {
            String text = json.asText();
            if (JsonPath.looksLikePath(text)) {
                try {
                    return new PathRef(JsonPath.parse(text), pointer);
                } catch (IllegalArgumentException e) {
                    errors.add(new ExpressionError(pointer, e.getMessage()));
                    return new Literal(json);
                }
            }
            Matcher call = CALL.matcher(text.trim());
            if (call.matches()) {
                String name = call.group(1);
                for (FunctionValues.Function function : FunctionValues.Function.values()) {
                    if (function.name().equals(name)) {
                        return new Call(function, pointer);
                    }
                }
                errors.add(new ExpressionError(pointer, "unknown function " + name + "(); the functions are "
                        + FunctionValues.names()));
                return new Literal(json);
            }
        }
        return new Literal(json);
    }

    /** Evaluates against {@code source}. A path naming nothing gives null, and an object member it feeds is left out. */
    default JsonNode evaluate(JsonNode source, FunctionValues functions) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (this instanceof Literal literal) {
            return literal.value();
        }
        if (this instanceof PathRef ref) {
            JsonNode value = ref.path().read(source);
            return value.isMissingNode() ? nodes.nullNode() : value;
        }
        if (this instanceof Call call) {
            return functions.valueAt(call.function(), call.pointer());
        }
        if (this instanceof ObjectMapping object) {
            ObjectNode out = nodes.objectNode();
            object.members().forEach((name, member) -> {
                // An absent optional value stays absent rather than becoming null.
                if (!(member instanceof PathRef ref && ref.path().read(source).isMissingNode())) {
                    out.set(name, member.evaluate(source, functions));
                }
            });
            return out;
        }
        ArrayNode out = nodes.arrayNode();
        for (Mapping item : ((ArrayMapping) this).items()) {
            out.add(item.evaluate(source, functions));
        }
        return out;
    }

    /** Every path this mapping reads, with the pointer where it is written. */
    default void forEachPath(BiConsumer<JsonPath, String> visitor) {
        if (this instanceof PathRef ref) {
            visitor.accept(ref.path(), ref.pointer());
        } else if (this instanceof ObjectMapping object) {
            object.members().values().forEach(m -> m.forEachPath(visitor));
        } else if (this instanceof ArrayMapping array) {
            array.items().forEach(m -> m.forEachPath(visitor));
        }
    }
}
