package dev.flowline.expression;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Checks at save time that what a mapping produces satisfies a target JSON Schema: every required property is
 * mapped, no property is mapped that a closed schema does not declare, and each mapped value has a compatible type.
 * Used for a step's {@code with} against the step's input and for trigger parameters against the workflow's input.
 */
public final class MappingCheck {

    private MappingCheck() {
    }

    /**
     * @param mapping the parsed mapping, or null when none is written
     * @param pointer where the mapping is written
     * @param target the JSON Schema the produced document must satisfy
     * @param pathTypes the types a path produces, or null when the path does not resolve (reported elsewhere)
     * @param targetName how to name the target in messages (such as "step match_bookings@1.0.0")
     */
    public static List<ExpressionError> against(Mapping mapping, String pointer, JsonNode target,
            Function<JsonPath, Set<String>> pathTypes, String targetName) {
        List<ExpressionError> errors = new ArrayList<>();
        Mapping.ObjectMapping object = mapping instanceof Mapping.ObjectMapping o ? o : null;
        for (String required : SchemaPaths.required(target)) {
            if (object == null || !object.members().containsKey(required)) {
                errors.add(new ExpressionError(pointer, "required input '" + required + "' of " + targetName
                        + " is not mapped"));
            }
        }
        if (object == null) {
            return errors;
        }
        JsonNode properties = target.path("properties");
        boolean closed = target.path("additionalProperties").isBoolean()
                && !target.get("additionalProperties").asBoolean();
        object.members().forEach((name, member) -> {
            String at = JsonPointers.append(pointer, name);
            if (!properties.has(name)) {
                if (closed) {
                    errors.add(new ExpressionError(at, "'" + name + "' is not an input of " + targetName));
                }
                return;
            }
            Set<String> expected = SchemaPaths.types(properties.get(name));
            Set<String> produced = produces(member, pathTypes);
            if (produced != null && !produced.equals(SchemaPaths.ALL_TYPES)
                    && !SchemaPaths.accepts(expected, produced)) {
                errors.add(new ExpressionError(at, "produces " + produced + " but " + targetName + " expects "
                        + expected + " for '" + name + "'"));
            }
        });
        return errors;
    }

    /** The types a mapping produces; null when a path in it does not resolve. */
    public static Set<String> produces(Mapping member, Function<JsonPath, Set<String>> pathTypes) {
        if (member instanceof Mapping.Literal literal) {
            return Set.of(SchemaPaths.typeOf(literal.value()));
        }
        if (member instanceof Mapping.Call) {
            return Set.of("string");
        }
        if (member instanceof Mapping.ObjectMapping) {
            return Set.of("object");
        }
        if (member instanceof Mapping.ArrayMapping) {
            return Set.of("array");
        }
        return pathTypes.apply(((Mapping.PathRef) member).path());
    }
}
