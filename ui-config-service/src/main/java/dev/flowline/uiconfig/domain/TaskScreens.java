package dev.flowline.uiconfig.domain;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;

import dev.flowline.expression.FunctionValues;
import dev.flowline.expression.Mapping;
import dev.flowline.servicekit.problem.ProblemException;
import dev.flowline.servicekit.problem.ProblemType;
import dev.flowline.uiconfig.client.TaskServiceClient;

/**
 * A task's screen, in one answer: the view it draws (the newest version published for its type by the time it
 * opened, else the type's generated default), the task as the view's rules read it, and the form data it starts
 * with; and the validation of what a person submits on it.
 */
@ApplicationScoped
public class TaskScreens {

    /**
     * @param name the view's name, null for a generated view
     * @param version its version, null for a generated view
     */
    public record Screen(String name, Integer version, boolean generated, JsonNode view, JsonNode task,
            JsonNode data) {
    }

    @Inject
    TaskServiceClient tasks;

    @Inject
    ViewVersions views;

    public Uni<Screen> forTask(String taskId, String bearer) {
        return tasks.task(taskId, bearer).flatMap(task -> {
            if (task == null) {
                return Uni.createFrom().failure(ProblemException.notFound("no task " + taskId));
            }
            JsonNode context = context(task);
            String typeId = task.path("taskType").asText();
            Instant opened = Instant.parse(task.path("createdAt").asText());
            return views.forTask(typeId, opened).flatMap(view -> {
                if (view != null) {
                    return Uni.createFrom().item(screen(view.key.name(), view.key.version(), false, view.document,
                            context));
                }
                return tasks.taskType(typeId, bearer).map(type -> {
                    if (type == null) {
                        throw new ProblemException(ProblemType.CONFLICT, "task " + taskId + " is of type " + typeId
                                + ", which no published step declares any more; it has no screen");
                    }
                    return screen(null, null, true, DefaultViews.of(type), context);
                });
            });
        });
    }

    /** Validates {@code data} as submitted on the task's screen. */
    public Uni<ViewValidation.Result> validate(String taskId, JsonNode data, String bearer) {
        return forTask(taskId, bearer).map(screen -> ViewValidation.validate(screen.view(), data, screen.task()));
    }

    private static Screen screen(String name, Integer version, boolean generated, JsonNode view, JsonNode task) {
        JsonNode initial = view.get("initial");
        JsonNode data = initial == null
                ? JsonNodeFactory.instance.objectNode()
                : Mapping.parse(initial, "/initial").evaluate(ViewContext.of(null, task), FunctionValues.fresh(
                        java.time.Clock.systemUTC()));
        return new Screen(name, version, generated, view, task, data);
    }

    /** The task as views read it: task-service's task without its history and comments. */
    static JsonNode context(JsonNode task) {
        ObjectNode context = JsonNodeFactory.instance.objectNode();
        for (String member : ViewContext.TASK_MEMBERS) {
            if (task.has(member)) {
                context.set(member, task.get(member));
            }
        }
        return context;
    }
}
