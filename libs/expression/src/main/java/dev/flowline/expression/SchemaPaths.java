package dev.flowline.expression;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Follows a {@link JsonPath} through a JSON Schema, so paths can be checked when a definition is saved: does the path
 * exist in the schema of its source, and what types can the value there have.
 */
public final class SchemaPaths {

    /** The JSON Schema types. */
    public static final Set<String> ALL_TYPES = Set.of("null", "boolean", "object", "array", "number", "integer",
            "string");

    /** The sub-schema a path leads to, or why it leads nowhere. */
    public record Resolution(JsonNode schema, String error) {
        public boolean found() {
            return error == null;
        }
    }

    private SchemaPaths() {
    }

    /**
     * Resolves {@code path} in {@code root}. A schema that declares no properties says nothing of its members, so
     * any member resolves to the empty schema; a schema with {@code properties} (or {@code additionalProperties:
     * false}) only has the members it declares.
     */
    public static Resolution resolve(JsonNode root, JsonPath path) {
        JsonNode current = deref(root, root);
        StringBuilder walked = new StringBuilder("$");
        for (JsonPath.Segment segment : path.segments()) {
            if (current == null) {
                return new Resolution(null, walked + " has no schema");
            }
            Set<String> types = types(current);
            if (segment instanceof JsonPath.Name name) {
                if (!types.contains("object")) {
                    return new Resolution(null, walked + " is " + describe(types) + ", not an object, so it has no '"
                            + name.name() + "'");
                }
                JsonNode next = member(root, current, name.name(), java.util.Collections.newSetFromMap(
                        new java.util.IdentityHashMap<>()));
                walked.append(JsonPath.of(name).toString().substring(1));
                if (next == null) {
                    return new Resolution(null, walked + " is not declared in the schema" + declared(root, current));
                }
                current = next;
            } else {
                int index = ((JsonPath.Index) segment).index();
                if (!types.contains("array")) {
                    return new Resolution(null, walked + " is " + describe(types) + ", not an array");
                }
                walked.append('[').append(index).append(']');
                JsonNode prefix = current.get("prefixItems");
                if (prefix != null && prefix.isArray() && index >= 0 && index < prefix.size()) {
                    current = deref(root, prefix.get(index));
                } else {
                    JsonNode items = current.get("items");
                    current = items == null || items.isBoolean()
                            ? JsonNodeFactory.instance.objectNode()
                            : deref(root, items);
                }
            }
        }
        return new Resolution(current, null);
    }

    /**
     * The member {@code name} of {@code schema}, looked for in its combinators too; {@code visiting} holds the
     * schemas being looked in, so a schema that refers to itself through a combinator ends the walk instead of
     * recursing until the stack overflows.
     */
    private static JsonNode member(JsonNode root, JsonNode schema, String name, Set<JsonNode> visiting) {
        if (schema == null || !visiting.add(schema)) {
            return null;
        }
        JsonNode properties = schema.get("properties");
        if (properties != null && properties.has(name)) {
            return deref(root, properties.get(name));
        }
        for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
            JsonNode parts = schema.get(combinator);
            if (parts != null && parts.isArray()) {
                for (JsonNode part : parts) {
                    JsonNode found = member(root, deref(root, part), name, visiting);
                    if (found != null) {
                        return found;
                    }
                }
            }
        }
        JsonNode additional = schema.get("additionalProperties");
        if (additional != null && additional.isObject()) {
            return deref(root, additional);
        }
        boolean closed = properties != null || (additional != null && additional.isBoolean() && !additional
                .asBoolean());
        return closed ? null : JsonNodeFactory.instance.objectNode();
    }

    private static String declared(JsonNode root, JsonNode schema) {
        JsonNode properties = schema.get("properties");
        if (properties == null || properties.isEmpty()) {
            return "";
        }
        List<String> names = new ArrayList<>();
        properties.fieldNames().forEachRemaining(names::add);
        return " (declared: " + String.join(", ", names) + ")";
    }

    /** Follows a local {@code $ref} ({@code #/$defs/x}); other schemas are returned as they are. */
    static JsonNode deref(JsonNode root, JsonNode schema) {
        JsonNode current = schema;
        for (int hops = 0; hops < 32 && current != null && current.has("$ref"); hops++) {
            String ref = current.get("$ref").asText();
            if (!ref.startsWith("#")) {
                return current;
            }
            JsonNode target = root.at(ref.substring(1));
            current = target.isMissingNode() ? null : target;
        }
        return current;
    }

    /**
     * The types a value described by {@code schema} may have: its {@code type}, the type of its {@code const} or
     * {@code enum} values, or all types when it does not say.
     */
    public static Set<String> types(JsonNode schema) {
        if (schema == null || schema.isBoolean()) {
            return ALL_TYPES;
        }
        JsonNode type = schema.get("type");
        Set<String> types = new LinkedHashSet<>();
        if (type != null && type.isTextual()) {
            types.add(type.asText());
        } else if (type != null && type.isArray()) {
            type.forEach(t -> types.add(t.asText()));
        } else if (schema.has("const")) {
            types.add(typeOf(schema.get("const")));
        } else if (schema.has("enum") && schema.get("enum").isArray()) {
            schema.get("enum").forEach(v -> types.add(typeOf(v)));
        } else if (schema.has("properties")) {
            types.add("object");
        } else if (schema.has("items") || schema.has("prefixItems")) {
            types.add("array");
        } else {
            return ALL_TYPES;
        }
        if (types.contains("number")) {
            types.add("integer");
        }
        return types;
    }

    /** The JSON Schema type of a JSON value. */
    public static String typeOf(JsonNode value) {
        if (value.isNull()) {
            return "null";
        }
        if (value.isBoolean()) {
            return "boolean";
        }
        if (value.isIntegralNumber() || (value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0)) {
            return "integer";
        }
        if (value.isNumber()) {
            return "number";
        }
        if (value.isTextual()) {
            return "string";
        }
        return value.isArray() ? "array" : "object";
    }

    /** Whether every type in {@code produced} is accepted where {@code expected} types are allowed. */
    public static boolean accepts(Set<String> expected, Set<String> produced) {
        for (String type : produced) {
            boolean ok = expected.contains(type) || (type.equals("integer") && expected.contains("number"));
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Names of the properties {@code schema} requires. */
    public static List<String> required(JsonNode schema) {
        List<String> required = new ArrayList<>();
        JsonNode list = schema == null ? null : schema.get("required");
        if (list != null && list.isArray()) {
            for (Iterator<JsonNode> it = list.elements(); it.hasNext();) {
                required.add(it.next().asText());
            }
        }
        return required;
    }

    private static String describe(Set<String> declared) {
        Set<String> types = new LinkedHashSet<>(declared);
        if (types.contains("number")) {
            types.remove("integer");
        }
        return types.size() == 1 ? "a " + types.iterator().next() : "one of " + types;
    }
}
