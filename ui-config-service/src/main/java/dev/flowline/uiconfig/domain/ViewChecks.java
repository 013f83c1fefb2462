package dev.flowline.uiconfig.domain;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.flowline.expression.Condition;
import dev.flowline.expression.ExpressionException;
import dev.flowline.expression.JsonPath;
import dev.flowline.expression.Mapping;
import dev.flowline.expression.SchemaPaths;
import dev.flowline.servicekit.problem.Problem.FieldError;

/**
 * The checks a view gets when saved, beyond its JSON Schema, each problem at its JSON pointer: members a component's
 * type does not take; bindings that point nowhere in the data schema; rule and check conditions that do not parse or
 * read paths that do not exist; a schema-required field that a rule can hide (its data would be dropped: use
 * {@code require}); display paths; the initial mapping; duplicate ids; a searchable table without a data source;
 * buttons for actions the view's task types do not allow.
 */
public final class ViewChecks {

    /** What a view needs to know of one of its task types. */
    public record TaskTypeFacts(Set<String> allowedActions) {
    }

    private ViewChecks() {
    }

    /**
     * @param types the facts of each task type the view names (a type missing here was reported by the caller)
     */
    public static List<FieldError> problems(JsonNode view, Map<String, TaskTypeFacts> types) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode schema = view.get("schema");
        Set<String> required = new HashSet<>(SchemaPaths.required(schema));
        Set<String> ids = new HashSet<>();
        ViewComponents.<Boolean>walk(view.get("layout"), "/layout", false, (component, at, ruledAbove) -> {
            String type = component.path("type").asText();
            Set<String> members = ViewComponents.members(type);
            for (Iterator<String> names = component.fieldNames(); names.hasNext();) {
                String name = names.next();
                if (!members.contains(name)) {
                    errors.add(new FieldError(at + "/" + name, "a " + type + " has no member " + name));
                }
            }
            if (component.has("id") && !ids.add(component.get("id").asText())) {
                errors.add(new FieldError(at + "/id", "another component has the id " + component.get("id").asText()));
            }
            boolean hideable = ruledAbove || component.has("show") || component.has("hide");
            for (String rule : ViewComponents.RULES) {
                if (component.has(rule)) {
                    condition(component.get(rule), at + "/" + rule, schema, errors);
                }
            }
            if (component.has("bind") && members.contains("bind")) {
                String bind = component.get("bind").asText();
                String problem = ViewContext.problem(ViewContext.dataPath(bind), schema);
                if (problem != null) {
                    errors.add(new FieldError(at + "/bind", bind + " points nowhere in the data schema: " + problem));
                } else if (hideable && topLevel(bind) != null && required.contains(topLevel(bind))) {
                    errors.add(new FieldError(at + "/bind", bind + " is required by the data schema but a rule can "
                            + "hide it (hidden data is dropped): make it required with a require rule instead"));
                }
            }
            for (String member : List.of("path", "href", "currencyPath")) {
                if (component.has(member)) {
                    path(component.get(member).asText(), at + "/" + member, schema, errors);
                }
            }
            if ("table".equals(type) && component.path("searchable").asBoolean() && !component.has("dataSource")) {
                errors.add(new FieldError(at + "/searchable", "only a table fed by a data source is searched (the "
                        + "source answers the search)"));
            }
            JsonNode items = component.get("items");
            if ("keyValue".equals(type) && items != null) {
                for (int i = 0; i < items.size(); i++) {
                    path(items.get(i).path("path").asText(), at + "/items/" + i + "/path", schema, errors);
                }
            }
            if (ViewComponents.BUTTON.equals(type)) {
                String action = component.path("action").asText();
                types.forEach((typeId, facts) -> {
                    if (!facts.allowedActions().contains(action)) {
                        errors.add(new FieldError(at + "/action", "task type " + typeId + " does not allow "
                                + action + " (it allows " + new java.util.TreeSet<>(facts.allowedActions()) + ")"));
                    }
                });
            }
            return hideable;
        });
        JsonNode checks = view.get("checks");
        for (int i = 0; checks != null && i < checks.size(); i++) {
            JsonNode check = checks.get(i);
            String at = "/checks/" + i;
            if (check.has("when")) {
                condition(check.get("when"), at + "/when", schema, errors);
            }
            condition(check.get("expect"), at + "/expect", schema, errors);
            String pointer = check.path("pointer").asText();
            String problem = ViewContext.problem(ViewContext.dataPath(pointer), schema);
            if (problem != null) {
                errors.add(new FieldError(at + "/pointer", pointer + " points nowhere in the data schema: "
                        + problem));
            }
        }
        JsonNode initial = view.get("initial");
        if (initial != null) {
            try {
                Mapping.parse(initial, "/initial").forEachPath((path, pointer) -> {
                    if (!(path.segments().isEmpty() || path.segments().get(0) instanceof JsonPath.Name root
                            && root.name().equals(ViewContext.TASK))) {
                        errors.add(new FieldError(pointer, path + ": the initial data reads the task ($.task…)"));
                    } else {
                        String problem = ViewContext.problem(path, schema);
                        if (problem != null) {
                            errors.add(new FieldError(pointer, problem));
                        }
                    }
                });
            } catch (ExpressionException e) {
                e.errors().forEach(error -> errors.add(new FieldError(error.pointer(), error.message())));
            }
        }
        return errors;
    }

    private static void condition(JsonNode json, String pointer, JsonNode schema, List<FieldError> errors) {
        Condition condition;
        try {
            condition = Condition.parse(json, pointer);
        } catch (ExpressionException e) {
            e.errors().forEach(error -> errors.add(new FieldError(error.pointer(), error.message())));
            return;
        }
        for (Condition.Test test : condition.tests()) {
            String problem = ViewContext.problem(test.path(), schema);
            if (problem != null) {
                errors.add(new FieldError(test.pointer(), problem));
            }
        }
    }

    private static void path(String text, String pointer, JsonNode schema, List<FieldError> errors) {
        try {
            String problem = ViewContext.problem(JsonPath.parse(text), schema);
            if (problem != null) {
                errors.add(new FieldError(pointer, problem));
            }
        } catch (ExpressionException | IllegalArgumentException e) {
            errors.add(new FieldError(pointer, e.getMessage()));
        }
    }

    private static String topLevel(String pointer) {
        if (pointer.length() < 2) {
            return null;
        }
        String first = pointer.substring(1).split("/", -1)[0];
        return pointer.indexOf('/', 1) < 0 ? first.replace("~1", "/").replace("~0", "~") : null;
    }
}
