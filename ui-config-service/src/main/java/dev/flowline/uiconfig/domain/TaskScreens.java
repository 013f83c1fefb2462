package dev.flowline.uiconfig.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;

import dev.flowline.expression.FunctionValues;
import dev.flowline.expression.JsonPath;
import dev.flowline.expression.Mapping;
import dev.flowline.servicekit.problem.ProblemException;
import dev.flowline.servicekit.problem.ProblemType;
import dev.flowline.uiconfig.client.TaskServiceClient;

/**
 * A task's screen, in one answer: the view it draws (the newest version published for its type by the time it
 * opened, else the type's generated default), the task as the view's rules read it, the form data it starts with and
 * what its lookups show before anyone types; and the validation of what a person submits on it.
 */
@ApplicationScoped
public class TaskScreens {

    /**
     * @param name the view's name, null for a generated view
     * @param version its version, null for a generated view
     */
    public record Screen(String name, Integer version, boolean generated, JsonNode view, JsonNode task,
            JsonNode data, Map<String, Lookup> lookups) {
    }

    /**
     * What a component fed by a data source (a lookup, a select) shows before anyone types: its source's first page
     * (with the parameters read from the initial data and the task) and the item of its bound value ({@code label}
     * null when that value is not on the first page); or, when the source did not answer, why, so the rest of the
     * screen still draws.
     *
     * @param selected null when nothing is bound
     * @param error null when the source answered
     */
    public record Lookup(String source, List<DataSources.Item> items, boolean next, DataSources.Item selected,
            String error) {
    }

    static final Set<String> FED_BY_SOURCES = Set.of("lookup", "select", "multiselect");
    static final int FIRST_PAGE_SIZE = 10;

    @Inject
    DataSources sources;

    @Inject
    TaskServiceClient tasks;

    @Inject
    ViewVersions views;

    /** The task's screen with its lookups' first pages, asked of their sources at once. */
    public Uni<Screen> forTask(String taskId, String bearer) {
        return drawn(taskId, bearer).flatMap(screen -> withLookups(screen, bearer));
    }

    private Uni<Screen> drawn(String taskId, String bearer) {
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
        return drawn(taskId, bearer).map(screen -> ViewValidation.validate(screen.view(), data, screen.task()));
    }

    private Uni<Screen> withLookups(Screen screen, String bearer) {
        // Each fed component by where it is in the view: two components may bind one value or read one source.
        Map<String, JsonNode> fed = new LinkedHashMap<>();
        ViewComponents.<Void>walk(screen.view().get("layout"), "/layout", null, (component, at, parent) -> {
            if (FED_BY_SOURCES.contains(component.path("type").asText()) && component.path("dataSource").has(
                    "name")) {
                fed.put(at, component);
            }
            return null;
        });
        if (fed.isEmpty()) {
            return Uni.createFrom().item(screen);
        }
        Set<String> names = new HashSet<>();
        fed.values().forEach(c -> names.add(c.get("dataSource").get("name").asText()));
        JsonNode context = ViewContext.of(screen.data(), screen.task());
        return sources.documents(names).flatMap(documents -> {
            List<String> pointers = new ArrayList<>(fed.keySet());
            List<Uni<Lookup>> asked = new ArrayList<>();
            for (String at : pointers) {
                asked.add(lookup(fed.get(at), documents, context, screen.data(), bearer));
            }
            return Uni.join().all(asked).andFailFast().map(answers -> {
                Map<String, Lookup> lookups = new LinkedHashMap<>();
                for (int i = 0; i < pointers.size(); i++) {
                    lookups.put(pointers.get(i), answers.get(i));
                }
                return new Screen(screen.name(), screen.version(), screen.generated(), screen.view(), screen.task(),
                        screen.data(), lookups);
            });
        });
    }

    private Uni<Lookup> lookup(JsonNode component, Map<String, JsonNode> documents, JsonNode context,
            JsonNode data, String bearer) {
        String name = component.get("dataSource").get("name").asText();
        JsonNode document = documents.get(name);
        if (document == null) {
            return Uni.createFrom().item(new Lookup(name, List.of(), false, null, "no data source " + name));
        }
        Map<String, String> params = new HashMap<>();
        component.get("dataSource").path("params").fields().forEachRemaining(p -> params.put(p.getKey(),
                parameter(p.getValue(), context)));
        int size = component.path("pageSize").asInt(FIRST_PAGE_SIZE);
        JsonNode bound = component.has("bind") && !component.path("type").asText().equals("multiselect")
                ? data.at(component.get("bind").asText())
                : null;
        return sources.page(name, document, "", 0, size, null, params, bearer).map(DataSources.Page::withoutRows)
                .map(page -> {
                    DataSources.Item selected = null;
                    if (bound != null && !bound.isMissingNode() && !bound.isNull()) {
                        selected = page.items().stream().filter(item -> bound.equals(item.value())).findFirst().orElse(
                                new DataSources.Item(bound, null));
                    }
                    return new Lookup(name, page.items(), page.next(), selected, null);
                }).onFailure(ProblemException.class).recoverWithItem(e -> new Lookup(name, List.of(), false, null, e
                        .getMessage()));
    }

    /** A parameter as the renderer sends it: a literal, or a path ({@code $.data.x}) read as text; empty if absent. */
    static String parameter(JsonNode value, JsonNode context) {
        if (!value.isTextual() || !value.asText().startsWith("$")) {
            return value.asText();
        }
        JsonNode read = JsonPath.parse(value.asText()).read(context);
        if (read == null || read.isMissingNode() || read.isNull()) {
            return "";
        }
        return read.isValueNode() ? read.asText() : read.toString();
    }

    private static Screen screen(String name, Integer version, boolean generated, JsonNode view, JsonNode task) {
        JsonNode initial = view.get("initial");
        JsonNode data = initial == null
                ? JsonNodeFactory.instance.objectNode()
                : Mapping.parse(initial, "/initial").evaluate(ViewContext.of(null, task), FunctionValues.fresh(
                        java.time.Clock.systemUTC()));
        return new Screen(name, version, generated, view, task, data, Map.of());
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
