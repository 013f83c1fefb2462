package dev.flowline.servicekit.json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.json.schema.OutputUnit;

import dev.flowline.servicekit.problem.Problem.FieldError;

/**
 * Turns a validator's flat list of failures into one error per problem. The validator reports every level a failure
 * passes through ("property x does not match schema", "a subschema had errors", and, for an invalid declared property,
 * also "does not match additional properties schema"); only the most specific failure is kept, at the offending value,
 * with a message that names the constraint and the expected form. The failed alternatives of a {@code oneOf} or
 * {@code anyOf} are folded into the combinator's one message.
 */
final class SchemaMessages {

    private static final int MAX_LISTED = 10;
    private static final Pattern TYPE = Pattern.compile("Instance type (\\S+) is invalid\\. Expected (.+)");
    private static final Pattern MATCHES = Pattern.compile("\\((\\d+) matches\\)");
    private static final Pattern PROPERTY = Pattern.compile("Property \"([^\"]*)\"");

    private SchemaMessages() {
    }

    /** One failure, as the validator reported it. */
    private record Failure(String instance, String keywordPath, String absoluteLocation, String message) {
        String keyword() {
            return keywordPath.substring(keywordPath.lastIndexOf('/') + 1);
        }

        /** Whether this failure is one of those that made {@code outer} fail: below it in schema and instance. */
        boolean within(Failure outer) {
            return keywordPath.startsWith(outer.keywordPath + "/") && (instance.equals(outer.instance) || instance
                    .startsWith(outer.instance + "/"));
        }
    }

    static List<FieldError> errors(OutputUnit result, String prefix, Function<String, JsonNode> schemaAt) {
        List<FieldError> errors = new ArrayList<>();
        if (Boolean.TRUE.equals(result.getValid())) {
            return errors;
        }
        List<Failure> failures = new ArrayList<>();
        for (OutputUnit unit : result.getErrors() == null || result.getErrors().isEmpty()
                ? List.of(result)
                : result.getErrors()) {
            failures.add(new Failure(strip(unit.getInstanceLocation()), strip(unit.getKeywordLocation()),
                    unit.getAbsoluteKeywordLocation() == null ? "" : unit.getAbsoluteKeywordLocation(),
                    unit.getError() == null ? "is invalid" : unit.getError()));
        }
        for (Failure failure : mostSpecific(failures)) {
            String detail = failure.keyword().equals("oneOf") || failure.keyword().equals("anyOf")
                    ? alternatives(failure, failures, schemaAt)
                    : describe(failure, schemaAt);
            FieldError error = new FieldError(prefix + failure.instance(), detail);
            if (!errors.contains(error)) {
                errors.add(error);
            }
        }
        return errors;
    }

    /**
     * The failures no other failure explains better: not an enclosing keyword of another failure, not inside a
     * combinator (that reports for its alternatives), and not "additional property" for a property that failed for
     * its own reasons.
     */
    private static List<Failure> mostSpecific(List<Failure> failures) {
        List<Failure> combinators = failures.stream().filter(f -> f.keyword().equals("oneOf") || f.keyword().equals(
                "anyOf")).toList();
        List<Failure> kept = new ArrayList<>();
        for (Failure failure : failures) {
            if (combinators.stream().anyMatch(failure::within)) {
                continue;
            }
            kept.add(failure);
        }
        List<Failure> specific = new ArrayList<>();
        for (Failure failure : kept) {
            boolean encloses = kept.stream().anyMatch(other -> other != failure && other.within(failure));
            boolean explained = isAdditional(failure) && kept.stream().anyMatch(other -> other != failure
                    && !isAdditional(other) && (other.instance().equals(failure.instance()) || other.instance()
                            .startsWith(failure.instance() + "/")));
            if (!encloses && !explained) {
                specific.add(failure);
            }
        }
        return specific;
    }

    private static boolean isAdditional(Failure failure) {
        return failure.keyword().equals("additionalProperties") || failure.keyword().equals(
                "unevaluatedProperties");
    }

    private static String alternatives(Failure combinator, List<Failure> failures,
            Function<String, JsonNode> schemaAt) {
        Matcher matches = MATCHES.matcher(combinator.message());
        if (combinator.keyword().equals("oneOf") && matches.find() && Integer.parseInt(matches.group(1)) > 1) {
            return "matches " + matches.group(1) + " of the alternatives (oneOf); must match exactly one";
        }
        List<Failure> inside = failures.stream().filter(f -> f.within(combinator)).toList();
        Set<String> described = new LinkedHashSet<>();
        for (Failure failure : mostSpecific(inside)) {
            String below = failure.instance().equals(combinator.instance())
                    ? ""
                    : failure.instance().substring(combinator.instance().length()) + " ";
            described.add(below + describe(failure, schemaAt));
        }
        String which = combinator.keyword().equals("oneOf") ? "exactly one" : "at least one";
        if (described.isEmpty()) {
            return "must match " + which + " of the alternatives (" + combinator.keyword() + ")";
        }
        return "must match " + which + " of the alternatives (" + combinator.keyword() + "): " + String.join(" | ",
                described);
    }

    /** The message for one keyword's failure, with the keyword's value when the schema is at hand. */
    private static String describe(Failure failure, Function<String, JsonNode> schemaAt) {
        JsonNode schema = failure.absoluteLocation().isEmpty() ? null : schemaAt.apply(failure.absoluteLocation());
        String keyword = failure.keyword();
        JsonNode value = schema == null ? null : schema.get(keyword);
        switch (keyword) {
            case "type" : {
                Matcher type = TYPE.matcher(failure.message());
                return type.find()
                        ? "must be of type " + type.group(2) + ", not " + type.group(1)
                        : failure.message();
            }
            case "pattern" : {
                if (value == null) {
                    return "must match the pattern of its schema";
                }
                JsonNode description = schema.get("description");
                return "must match " + value.asText() + (description != null && description.isTextual()
                        ? ": " + description.asText()
                        : "");
            }
            case "required" :
                // Kept parseable: a screen moves it beside the missing field by the quoted name.
                return failure.message().replace("Instance does not have required property", "required property")
                        + " is missing";
            case "additionalProperties" :
            case "unevaluatedProperties" : {
                Matcher property = PROPERTY.matcher(failure.message());
                String name = property.find() ? "\"" + property.group(1) + "\" " : "";
                if (value != null && value.isBoolean() && !value.asBoolean()) {
                    JsonNode known = schema.get("properties");
                    return "property " + name + "is not allowed here" + (known != null && known.isObject()
                            && known.size() > 0 ? " (allowed: " + names(known.fieldNames()) + ")" : "");
                }
                return "property " + name + "does not match the " + keyword + " schema";
            }
            case "enum" :
                return value != null && value.isArray()
                        ? "must be one of: " + list(value)
                        : "must be one of the values its schema lists (enum)";
            case "const" :
                return value != null ? "must be " + value : "must be the constant its schema gives (const)";
            case "minLength" :
                return bound("must be at least ", value, " characters long", failure);
            case "maxLength" :
                return bound("must be at most ", value, " characters long", failure);
            case "minimum" :
                return bound("must be >= ", value, "", failure);
            case "maximum" :
                return bound("must be <= ", value, "", failure);
            case "exclusiveMinimum" :
                return bound("must be > ", value, "", failure);
            case "exclusiveMaximum" :
                return bound("must be < ", value, "", failure);
            case "multipleOf" :
                return bound("must be a multiple of ", value, "", failure);
            case "minItems" :
                return bound("must have at least ", value, " items", failure);
            case "maxItems" :
                return bound("must have at most ", value, " items", failure);
            case "minProperties" :
                return bound("must have at least ", value, " properties", failure);
            case "maxProperties" :
                return bound("must have at most ", value, " properties", failure);
            case "uniqueItems" :
                return "must not repeat an item (uniqueItems)";
            case "format" :
                return value != null ? "must be a valid " + value.asText() + " (format)" : failure.message();
            case "not" :
                return "must not match the schema under not";
            default :
                return failure.message();
        }
    }

    private static String bound(String before, JsonNode value, String after, Failure failure) {
        return value != null && value.isNumber() ? before + value.asText() + after : failure.message();
    }

    private static String list(JsonNode values) {
        StringJoiner joined = new StringJoiner(", ");
        int listed = 0;
        for (JsonNode v : values) {
            if (listed++ == MAX_LISTED) {
                joined.add("… (" + values.size() + " in all)");
                break;
            }
            joined.add(v.toString());
        }
        return joined.toString();
    }

    private static String names(Iterator<String> names) {
        StringJoiner joined = new StringJoiner(", ");
        int listed = 0;
        while (names.hasNext()) {
            String name = names.next();
            if (listed++ == MAX_LISTED) {
                joined.add("…");
                break;
            }
            joined.add(name);
        }
        return joined.toString();
    }

    private static String strip(String location) {
        if (location == null) {
            return "";
        }
        return location.startsWith("#") ? location.substring(1) : location;
    }
}
