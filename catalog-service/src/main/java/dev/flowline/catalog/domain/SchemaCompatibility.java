package dev.flowline.catalog.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.flowline.expression.SchemaPaths;

/**
 * Compares two versions of an event type's JSON Schema the way schema registries do. Every difference is a
 * {@link Change} that either narrows what is valid (old data may fail the new schema: breaks BACKWARD), widens it
 * (new data may fail the old schema: breaks FORWARD) or both. The table of rules is in {@code docs/schemas.md}.
 */
public final class SchemaCompatibility {

    /** How a new version must relate to the previous one. */
    public enum Mode {
        /** Consumers on the new schema read data written with the old one. */
        BACKWARD,
        /** Consumers on the old schema read data written with the new one. */
        FORWARD, FULL, NONE
    }

    /** What a change does to the set of valid documents. */
    public enum Effect {
        NARROWS, WIDENS, CHANGES
    }

    /**
     * One difference.
     *
     * @param kind a stable name, such as {@code required-added} or {@code enum-value-removed}
     * @param path where in the document, as a JSON path ({@code $.metadata.channel}, {@code $.items[*]})
     */
    public record Change(String kind, String path, Effect effect, String detail) {
    }

    private static final List<String> LOWER_BOUNDS = List.of("minimum", "exclusiveMinimum", "minLength", "minItems",
            "minProperties");
    private static final List<String> UPPER_BOUNDS = List.of("maximum", "exclusiveMaximum", "maxLength", "maxItems",
            "maxProperties");

    /** The keywords the rules below compare; any other that affects validity is compared only for equality. */
    static final Set<String> MODELED = Set.of("type", "const", "enum", "pattern", "format", "minimum",
            "exclusiveMinimum", "minLength", "minItems", "minProperties", "maximum", "exclusiveMaximum", "maxLength",
            "maxItems", "maxProperties", "required", "properties", "additionalProperties", "items");
    /** Keywords that annotate and never change what is valid. */
    static final Set<String> ANNOTATIONS = Set.of("title", "description", "examples", "default", "$comment",
            "$schema", "$id", "deprecated", "readOnly", "writeOnly", "contentMediaType", "contentEncoding");
    static final String UNPROVABLE = "not-provably-compatible";

    private SchemaCompatibility() {
    }

    /** The changes that break {@code mode}; empty when compatible. */
    public static List<Change> incompatibilities(Mode mode, JsonNode oldSchema, JsonNode newSchema) {
        if (mode == Mode.NONE) {
            return List.of();
        }
        return diff(oldSchema, newSchema).stream().filter(c -> breaks(mode, c.effect())).toList();
    }

    static boolean breaks(Mode mode, Effect effect) {
        return switch (mode) {
            case BACKWARD -> effect != Effect.WIDENS;
            case FORWARD -> effect != Effect.NARROWS;
            case FULL -> true;
            case NONE -> false;
        };
    }

    /** Every difference between the two schemas. */
    public static List<Change> diff(JsonNode oldSchema, JsonNode newSchema) {
        List<Change> changes = new ArrayList<>();
        diff(normalize(oldSchema), normalize(newSchema), "$", changes);
        return changes;
    }

    /** {@code true} (and a missing schema) is the empty schema; {@code false} is kept: it accepts nothing. */
    private static JsonNode normalize(JsonNode schema) {
        return schema == null || schema.isBoolean() && schema.asBoolean()
                ? JsonNodeFactory.instance.objectNode()
                : schema;
    }

    private static boolean rejectsAll(JsonNode schema) {
        return schema.isBoolean() && !schema.asBoolean();
    }

    private static void falseSchemas(JsonNode o, JsonNode n, String path, List<Change> out) {
        if (rejectsAll(o) && rejectsAll(n)) {
            return;
        }
        if (rejectsAll(n)) {
            out.add(new Change("schema-false-added", path, Effect.NARROWS, "the schema false now rejects every value"));
        } else {
            out.add(new Change("schema-false-removed", path, Effect.WIDENS, "the schema false no longer rejects "
                    + "every value"));
        }
    }

    /**
     * A keyword these rules do not model ({@code $ref}, {@code allOf}/{@code anyOf}/{@code oneOf}, {@code not},
     * {@code multipleOf}, {@code patternProperties}, {@code prefixItems}, {@code dependentRequired}, …, an
     * {@code additionalProperties} or {@code items} that is not a plain schema): equal on both sides constrains both
     * alike; any difference cannot be proved compatible either way, so it breaks BACKWARD, FORWARD and FULL.
     */
    private static void unmodeled(JsonNode o, JsonNode n, String path, List<Change> out) {
        Set<String> keywords = new java.util.TreeSet<>();
        o.fieldNames().forEachRemaining(keywords::add);
        n.fieldNames().forEachRemaining(keywords::add);
        for (String keyword : keywords) {
            if (ANNOTATIONS.contains(keyword) || keyword.startsWith("x-") || modeled(keyword, o) && modeled(keyword,
                    n)) {
                continue;
            }
            JsonNode ov = o.get(keyword);
            JsonNode nv = n.get(keyword);
            if (ov == null || !ov.equals(nv)) {
                out.add(new Change(UNPROVABLE, path, Effect.CHANGES, keyword + (ov == null
                        ? " added"
                        : nv == null
                                ? " removed"
                                : " changed")
                        + ": these rules do not model " + keyword + ", so the change cannot be proved "
                        + "compatible"));
            }
        }
    }

    private static boolean modeled(String keyword, JsonNode schema) {
        if (!MODELED.contains(keyword)) {
            return false;
        }
        JsonNode value = schema.get(keyword);
        return switch (keyword) {
            // Only false is modeled: a schema for the other members is not.
            case "additionalProperties" -> value == null || value.isBoolean();
            // A schema for every item; the tuple form (an array) is not.
            case "items" -> value == null || value.isObject() || value.isBoolean();
            default -> true;
        };
    }

    private static void diff(JsonNode o, JsonNode n, String path, List<Change> out) {
        if (rejectsAll(o) || rejectsAll(n)) {
            falseSchemas(o, n, path, out);
            return;
        }
        unmodeled(o, n, path, out);
        types(o, n, path, out);
        keyword(o, n, "const", path, out);
        enums(o, n, path, out);
        keyword(o, n, "pattern", path, out);
        keyword(o, n, "format", path, out);
        bounds(o, n, path, out);
        required(o, n, path, out);
        properties(o, n, path, out);
        additionalProperties(o, n, path, out);
        items(o, n, path, out);
    }

    private static Set<String> explicitTypes(JsonNode schema) {
        JsonNode type = schema.get("type");
        if (type == null) {
            return SchemaPaths.ALL_TYPES;
        }
        Set<String> types = new LinkedHashSet<>();
        if (type.isArray()) {
            type.forEach(t -> types.add(t.asText()));
        } else {
            types.add(type.asText());
        }
        if (types.contains("number")) {
            types.add("integer");
        }
        return types;
    }

    private static void types(JsonNode o, JsonNode n, String path, List<Change> out) {
        Set<String> ot = explicitTypes(o);
        Set<String> nt = explicitTypes(n);
        if (ot.equals(nt)) {
            return;
        }
        String detail = "type " + label(ot) + " → " + label(nt);
        if (ot.containsAll(nt)) {
            out.add(new Change("type-narrowed", path, Effect.NARROWS, detail));
        } else if (nt.containsAll(ot)) {
            out.add(new Change("type-widened", path, Effect.WIDENS, detail));
        } else {
            out.add(new Change("type-changed", path, Effect.CHANGES, detail));
        }
    }

    private static String label(Set<String> types) {
        if (types.equals(SchemaPaths.ALL_TYPES)) {
            return "any";
        }
        Set<String> shown = new LinkedHashSet<>(types);
        if (shown.contains("number")) {
            shown.remove("integer");
        }
        return String.join("|", shown);
    }

    /** A keyword that restricts when present: adding it narrows, removing widens, changing does both. */
    private static void keyword(JsonNode o, JsonNode n, String keyword, String path, List<Change> out) {
        JsonNode ov = o.get(keyword);
        JsonNode nv = n.get(keyword);
        if (ov == null && nv == null || ov != null && ov.equals(nv)) {
            return;
        }
        if (ov == null) {
            out.add(new Change(keyword + "-added", path, Effect.NARROWS, keyword + " " + nv));
        } else if (nv == null) {
            out.add(new Change(keyword + "-removed", path, Effect.WIDENS, keyword + " " + ov + " removed"));
        } else {
            out.add(new Change(keyword + "-changed", path, Effect.CHANGES, keyword + " " + ov + " → " + nv));
        }
    }

    private static void enums(JsonNode o, JsonNode n, String path, List<Change> out) {
        JsonNode oe = o.get("enum");
        JsonNode ne = n.get("enum");
        if (oe == null && ne == null) {
            return;
        }
        if (oe == null) {
            out.add(new Change("enum-added", path, Effect.NARROWS, "values limited to " + ne));
            return;
        }
        if (ne == null) {
            out.add(new Change("enum-removed", path, Effect.WIDENS, "values no longer limited to " + oe));
            return;
        }
        for (JsonNode value : oe) {
            if (!contains(ne, value)) {
                out.add(new Change("enum-value-removed", path, Effect.NARROWS, "value " + value + " removed"));
            }
        }
        for (JsonNode value : ne) {
            if (!contains(oe, value)) {
                out.add(new Change("enum-value-added", path, Effect.WIDENS, "value " + value + " added"));
            }
        }
    }

    private static boolean contains(JsonNode array, JsonNode value) {
        for (JsonNode element : array) {
            if (element.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static void bounds(JsonNode o, JsonNode n, String path, List<Change> out) {
        for (String keyword : LOWER_BOUNDS) {
            bound(o, n, keyword, true, path, out);
        }
        for (String keyword : UPPER_BOUNDS) {
            bound(o, n, keyword, false, path, out);
        }
    }

    private static void bound(JsonNode o, JsonNode n, String keyword, boolean lower, String path, List<Change> out) {
        JsonNode ov = o.get(keyword);
        JsonNode nv = n.get(keyword);
        if (ov == null && nv == null) {
            return;
        }
        Effect effect;
        if (ov == null) {
            effect = Effect.NARROWS;
        } else if (nv == null) {
            effect = Effect.WIDENS;
        } else {
            int cmp = nv.decimalValue().compareTo(ov.decimalValue());
            if (cmp == 0) {
                return;
            }
            effect = (cmp > 0) == lower ? Effect.NARROWS : Effect.WIDENS;
        }
        String kind = effect == Effect.NARROWS ? "bound-narrowed" : "bound-widened";
        out.add(new Change(kind, path, effect, keyword + " " + (ov == null ? "none" : ov.asText()) + " → "
                + (nv == null ? "none" : nv.asText())));
    }

    private static void required(JsonNode o, JsonNode n, String path, List<Change> out) {
        List<String> or = SchemaPaths.required(o);
        List<String> nr = SchemaPaths.required(n);
        for (String name : nr) {
            if (!or.contains(name)) {
                out.add(new Change("required-added", member(path, name), Effect.NARROWS, name + " is now required"));
            }
        }
        for (String name : or) {
            if (!nr.contains(name)) {
                out.add(new Change("required-removed", member(path, name), Effect.WIDENS, name
                        + " is no longer required"));
            }
        }
    }

    private static boolean closed(JsonNode schema) {
        JsonNode additional = schema.get("additionalProperties");
        return additional != null && additional.isBoolean() && !additional.asBoolean();
    }

    private static boolean unrestricted(JsonNode schema) {
        return schema == null || (schema.isBoolean() && schema.asBoolean()) || (schema.isObject() && schema.isEmpty());
    }

    private static void properties(JsonNode o, JsonNode n, String path, List<Change> out) {
        JsonNode op = o.path("properties");
        JsonNode np = n.path("properties");
        np.fieldNames().forEachRemaining(name -> {
            String at = member(path, name);
            if (op.has(name)) {
                diff(normalize(op.get(name)), normalize(np.get(name)), at, out);
            } else if (closed(o)) {
                out.add(new Change("property-added", at, Effect.WIDENS, name
                        + " added; the old schema rejected it (additionalProperties: false)"));
            } else if (!unrestricted(np.get(name))) {
                out.add(new Change("property-added", at, Effect.NARROWS, name
                        + " added; the old schema allowed any value there"));
            }
        });
        op.fieldNames().forEachRemaining(name -> {
            if (np.has(name)) {
                return;
            }
            String at = member(path, name);
            if (closed(n)) {
                out.add(new Change("property-removed", at, Effect.NARROWS, name
                        + " removed; the new schema rejects it (additionalProperties: false)"));
            } else if (!unrestricted(op.get(name))) {
                out.add(new Change("property-removed", at, Effect.WIDENS, name
                        + " removed; the new schema allows any value there"));
            }
        });
    }

    private static void additionalProperties(JsonNode o, JsonNode n, String path, List<Change> out) {
        if (closed(o) && !closed(n)) {
            out.add(new Change("additional-properties-opened", path, Effect.WIDENS,
                    "additionalProperties: false removed"));
        } else if (!closed(o) && closed(n)) {
            out.add(new Change("additional-properties-closed", path, Effect.NARROWS,
                    "additionalProperties: false added"));
        }
    }

    private static void items(JsonNode o, JsonNode n, String path, List<Change> out) {
        JsonNode oi = o.get("items");
        JsonNode ni = n.get("items");
        if (oi == null && ni == null || oi != null && oi.isArray() || ni != null && ni.isArray()) {
            return;
        }
        diff(normalize(oi), normalize(ni), path + "[*]", out);
    }

    private static String member(String path, String name) {
        return name.matches("[A-Za-z_][A-Za-z0-9_]*") ? path + "." + name : path + "['" + name + "']";
    }
}
