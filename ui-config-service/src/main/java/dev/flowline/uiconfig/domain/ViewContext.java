package dev.flowline.uiconfig.domain;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.flowline.expression.JsonPath;
import dev.flowline.expression.SchemaPaths;

/**
 * What a view's rules, checks, displays and initial mapping read: {@code {"data": the form data, "task": the task}}.
 * A path starts at {@code $.data} (checked against the view's data schema when saved) or {@code $.task} (one of
 * {@link #TASK_MEMBERS}; below {@code errorData} and {@code stepInput}, anything).
 */
public final class ViewContext {

    public static final String DATA = "data";
    public static final String TASK = "task";
    /** The task as a view sees it (task-service's task, less its history). */
    public static final Set<String> TASK_MEMBERS = Set.of("id", "title", "description", "status", "taskType",
            "errorCode", "errorMessage", "errorData", "stepInput", "workflow", "runId", "stepId", "priority", "dueAt",
            "assignee", "links");
    static final Set<String> OPEN_MEMBERS = Set.of("errorData", "stepInput", "links");

    private ViewContext() {
    }

    /** The document rules are evaluated on. */
    public static ObjectNode of(JsonNode data, JsonNode task) {
        ObjectNode context = JsonNodeFactory.instance.objectNode();
        context.set(DATA, data == null ? JsonNodeFactory.instance.objectNode() : data);
        context.set(TASK, task == null ? JsonNodeFactory.instance.objectNode() : task);
        return context;
    }

    /** Why {@code path} leads nowhere in a view whose data schema is {@code dataSchema}; null when it resolves. */
    public static String problem(JsonPath path, JsonNode dataSchema) {
        if (path.segments().isEmpty() || !(path.segments().get(0) instanceof JsonPath.Name root)) {
            return path + ": a view path starts at $.data or $.task";
        }
        JsonPath rest = path.relativize(JsonPath.of(root));
        if (root.name().equals(DATA)) {
            SchemaPaths.Resolution resolved = SchemaPaths.resolve(dataSchema, rest);
            return resolved.found() ? null : resolved.error().replaceFirst("^\\$", "\\$.data");
        }
        if (root.name().equals(TASK)) {
            if (rest.isRoot()) {
                return null;
            }
            if (!(rest.segments().get(0) instanceof JsonPath.Name member) || !TASK_MEMBERS.contains(member.name())) {
                return path + ": a task has " + new java.util.TreeSet<>(TASK_MEMBERS);
            }
            return rest.segments().size() == 1 || OPEN_MEMBERS.contains(member.name())
                    ? null
                    : path + ": $.task." + member.name() + " has no members";
        }
        return path + ": a view path starts at $.data or $.task";
    }

    /** A JSON pointer into the form data as the path {@code $.data…} (numeric tokens as indexes). */
    public static JsonPath dataPath(String pointer) {
        java.util.List<JsonPath.Segment> segments = new java.util.ArrayList<>();
        segments.add(new JsonPath.Name(DATA));
        if (!pointer.isEmpty()) {
            for (String token : pointer.substring(1).split("/", -1)) {
                String name = token.replace("~1", "/").replace("~0", "~");
                segments.add(name.matches("0|[1-9][0-9]{0,8}")
                        ? new JsonPath.Index(Integer.parseInt(name))
                        : new JsonPath.Name(name));
            }
        }
        return JsonPath.of(segments.toArray(JsonPath.Segment[]::new));
    }
}
