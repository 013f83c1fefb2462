package dev.flowline.definitions;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An event type of the registry: {@code entity.verb} in the past tense, a category, a semantic version and the JSON
 * Schema of its data, with examples and the compatibility its versions keep.
 *
 * @param category entity, state or system; null when not said
 * @param schema JSON Schema of the event's data
 * @param examples each valid against the schema (checked when saved)
 * @param compatibility BACKWARD (the default), FORWARD, FULL or NONE
 */
public record EventTypeDefinition(String type, String version, String category, String description,
        JsonNode schema, List<JsonNode> examples, List<String> sourceWorkflows, boolean deprecated,
        Compatibility compatibility, ObjectNode unknown) {

    private static final Set<String> MEMBERS = Set.of("type", "version", "category", "description", "schema",
            "examples", "sourceWorkflows", "deprecated", "compatibility");

    /** Which readers and writers of an event type's versions must keep working across a change. */
    public enum Compatibility {
        BACKWARD, FORWARD, FULL, NONE
    }

    public EventTypeDefinition {
        examples = List.copyOf(examples);
        sourceWorkflows = List.copyOf(sourceWorkflows);
        schema = schema == null ? Members.NODES.objectNode() : schema;
        unknown = unknown == null ? Members.NODES.objectNode() : unknown;
    }

    public static EventTypeDefinition parse(JsonNode document) {
        List<DefinitionError> problems = new ArrayList<>();
        Members m = Members.root(document, problems, MEMBERS);
        List<JsonNode> examples = new ArrayList<>();
        JsonNode examplesNode = m.get("examples");
        if (examplesNode != null && examplesNode.isArray()) {
            examplesNode.forEach(examples::add);
        } else if (examplesNode != null) {
            m.error("/examples", "examples must be a list");
        }
        String mode = m.text("compatibility");
        Compatibility compatibility = Compatibility.BACKWARD;
        if (mode != null) {
            try {
                compatibility = Compatibility.valueOf(mode);
            } catch (IllegalArgumentException e) {
                m.error("/compatibility", "compatibility is BACKWARD, FORWARD, FULL or NONE");
            }
        }
        EventTypeDefinition eventType = new EventTypeDefinition(m.requiredText("type"), m.requiredText("version"),
                m.text("category"), m.text("description"), m.get("schema"), examples, m.texts("sourceWorkflows"),
                m.bool("deprecated", false), compatibility, m.unknown());
        Members.throwIfAny(problems);
        return eventType;
    }

    public String label() {
        return type + "@" + version;
    }

    public ObjectNode toJson() {
        ObjectNode out = Members.NODES.objectNode();
        Members.putIfPresent(out, "type", type);
        Members.putIfPresent(out, "category", category);
        Members.putIfPresent(out, "version", version);
        Members.putIfPresent(out, "description", description);
        out.set("schema", schema.deepCopy());
        if (!examples.isEmpty()) {
            ArrayNode list = out.putArray("examples");
            examples.forEach(e -> list.add(e.deepCopy()));
        }
        if (!sourceWorkflows.isEmpty()) {
            ArrayNode list = out.putArray("sourceWorkflows");
            sourceWorkflows.forEach(list::add);
        }
        if (deprecated) {
            out.put("deprecated", true);
        }
        out.put("compatibility", compatibility.name());
        out.setAll(unknown.deepCopy());
        return out;
    }
}
