package dev.flowline.catalog.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.flowline.servicekit.problem.Problem.FieldError;
import dev.flowline.servicekit.problem.ProblemException;

/**
 * The checks an event-type draft passes before it is stored: naming, version and the presence of its schema. The full
 * definition-language validation (JSON Schema of the kind, compatibility between versions) is the catalog issue's.
 */
public final class EventTypeDrafts {

    /** {@code entity.verb}, lower case, at least two segments: {@code booking.created}. */
    static final Pattern TYPE = Pattern.compile("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$");
    /** Semantic Versioning 2.0.0, as its specification gives the grammar. */
    static final Pattern SEMVER = Pattern.compile("^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
            + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$");

    private EventTypeDrafts() {
    }

    /**
     * Answers the document to store (the body with {@code type} and {@code version} filled in from the path), or
     * throws a 422 problem listing every offending place.
     */
    public static ObjectNode validate(String type, String version, JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        if (!TYPE.matcher(type).matches()) {
            errors.add(new FieldError("#type", "event type must look like entity.verb in lower case, got '" + type
                    + "'"));
        }
        if (!SEMVER.matcher(version).matches()) {
            errors.add(new FieldError("#version", "version must be a semantic version (1.2.0), got '" + version
                    + "'"));
        }
        if (body == null || !body.isObject()) {
            errors.add(new FieldError("", "the definition must be a JSON object"));
            throw ProblemException.invalid(errors);
        }
        ObjectNode document = body.deepCopy();
        checkMatches(document, "type", type, errors);
        checkMatches(document, "version", version, errors);
        JsonNode schema = document.get("schema");
        if (schema == null) {
            errors.add(new FieldError("/schema", "schema is required"));
        } else if (!schema.isObject()) {
            errors.add(new FieldError("/schema", "schema must be a JSON Schema object"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        document.put("type", type);
        document.put("version", version);
        return document;
    }

    private static void checkMatches(ObjectNode document, String field, String expected, List<FieldError> errors) {
        JsonNode value = document.get(field);
        if (value != null && !expected.equals(value.asText())) {
            errors.add(new FieldError("/" + field, field + " '" + value.asText()
                    + "' does not match the URL's '" + expected + "'"));
        }
    }
}
