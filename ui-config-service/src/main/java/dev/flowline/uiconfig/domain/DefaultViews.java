package dev.flowline.uiconfig.domain;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.flowline.expression.JsonPath;
import dev.flowline.expression.SchemaPaths;

/**
 * The view of a task type nobody configured, generated from the type, so a new error code is usable the day its step
 * is published: what went wrong (the message and every member of the error's data), the step's input as a form
 * (prefilled with the input that failed) for a retry, its output for a skip, a reason for an abort, and a button per
 * allowed action. The form data is {@code {"input", "output", "reason"}}: what a resolve sends. Members of object or
 * array type are shown but not edited here; a configured view can do better.
 */
public final class DefaultViews {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private DefaultViews() {
    }

    /** @param type task-service's task type ({@code id}, {@code message}, {@code dataSchema}, {@code allowedActions}, {@code inputSchema}, {@code outputSchema}) */
    public static ObjectNode of(JsonNode type) {
        java.util.Set<String> allowed = new java.util.LinkedHashSet<>();
        type.path("allowedActions").forEach(a -> allowed.add(a.asText()));
        ObjectNode view = JSON.objectNode();
        view.put("title", type.path("message").asText(type.path("code").asText()));
        view.putArray("taskTypes").add(type.path("id").asText());
        ObjectNode schema = view.putObject("schema");
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode layout = view.putArray("layout");
        layout.addObject().put("type", "alert").put("level", "error").put("text", type.path("message").asText(""));
        ArrayNode wrong = section(layout, "What went wrong");
        wrong.addObject().put("type", "field").put("label", "Message").put("path", "$.task.errorMessage");
        ObjectNode keyValue = JSON.objectNode().put("type", "keyValue");
        ArrayNode items = keyValue.putArray("items");
        for (String member : members(type.path("dataSchema"))) {
            items.addObject().put("label", member).put("path", JsonPath.of(new JsonPath.Name("task"), new JsonPath.Name(
                    "errorData"), new JsonPath.Name(member)).toString());
        }
        if (!items.isEmpty()) {
            wrong.add(keyValue);
        }
        if (allowed.contains("retry")) {
            properties.set("input", schemaOf(type.path("inputSchema")));
            view.putObject("initial").put("input", "$.task.stepInput");
            form(section(layout, "Retry with this input"), "input", type.path("inputSchema"));
        }
        if (allowed.contains("skip")) {
            properties.set("output", schemaOf(type.path("outputSchema")));
            form(section(layout, "Skip with this output"), "output", type.path("outputSchema"));
        }
        if (allowed.contains("abort")) {
            properties.putObject("reason").put("type", "string").put("maxLength", 2000);
            layout.addObject().put("type", "textarea").put("label", "Reason (for an abort)").put("bind", "/reason");
        }
        for (String action : allowed) {
            layout.addObject().put("type", "button").put("action", action).put("label", Map.of("retry", "Retry",
                    "skip", "Skip", "abort", "Abort the run").getOrDefault(action, action));
        }
        return view;
    }

    private static ArrayNode section(ArrayNode layout, String title) {
        return layout.addObject().put("type", "section").put("title", title).putArray("children");
    }

    private static JsonNode schemaOf(JsonNode schema) {
        return schema == null || schema.isMissingNode() || schema.isNull() ? JSON.objectNode() : schema;
    }

    /** An input per member of {@code schema} that a person can type. */
    private static void form(ArrayNode children, String root, JsonNode schema) {
        JsonNode properties = schema.path("properties");
        for (String member : members(schema)) {
            JsonNode property = properties.path(member);
            java.util.Set<String> types = SchemaPaths.types(property);
            String bind = "/" + root + "/" + member.replace("~", "~0").replace("/", "~1");
            ObjectNode input = JSON.objectNode().put("label", member).put("bind", bind);
            if (property.has("enum")) {
                input.put("type", "select");
                ArrayNode options = input.putArray("options");
                property.get("enum").forEach(value -> {
                    if (value.isValueNode() && !value.isNull()) {
                        options.addObject().put("label", value.asText()).set("value", value);
                    }
                });
            } else if (types.size() <= 2 && types.contains("boolean")) {
                input.put("type", "checkbox");
            } else if (types.contains("number") || types.contains("integer")) {
                input.put("type", types.contains("string") ? "text" : "number");
            } else if (types.contains("string")) {
                String format = property.path("format").asText("");
                input.put("type", format.equals("date") ? "date" : format.equals("date-time") ? "datetime" : "text");
            } else {
                children.addObject().put("type", "field").put("label", member).put("path", JsonPath.of(
                        new JsonPath.Name("data"), new JsonPath.Name(root), new JsonPath.Name(member)).toString());
                continue;
            }
            if (property.has("description")) {
                input.put("help", property.get("description").asText());
            }
            children.add(input);
        }
    }

    private static List<String> members(JsonNode schema) {
        List<String> names = new java.util.ArrayList<>();
        for (Iterator<String> it = schema.path("properties").fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }
}
