package dev.flowline.task.domain;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.flowline.contracts.TaskResolved;
import dev.flowline.servicekit.problem.Problem.FieldError;

/**
 * What an editor may change about a derived task type, every member optional: {@code title} (a
 * {@link TitleTemplate} over the error data), {@code candidates} (roles), {@code allowedActions} (retry, skip,
 * abort), {@code priority} (0–100), {@code dueIn} (ISO-8601, e.g. {@code PT4H}: the task is due that long after it
 * opens, or when the run stops waiting if that is sooner).
 */
public record TaskTypeOverride(String title, List<String> candidates, Set<TaskResolved.Resolution> allowedActions,
        Integer priority, Duration dueIn) {

    static final Set<String> MEMBERS = Set.of("title", "candidates", "allowedActions", "priority", "dueIn");
    static final String ROLE = "[a-z][a-z0-9-]*";

    /** Reads a saved (valid) document. */
    public static TaskTypeOverride read(JsonNode document) {
        List<String> candidates = null;
        if (document.has("candidates")) {
            candidates = new ArrayList<>();
            for (JsonNode role : document.get("candidates")) {
                candidates.add(role.asText());
            }
        }
        Set<TaskResolved.Resolution> allowed = null;
        if (document.has("allowedActions")) {
            allowed = EnumSet.noneOf(TaskResolved.Resolution.class);
            for (JsonNode action : document.get("allowedActions")) {
                allowed.add(TaskResolved.Resolution.valueOf(action.asText().toUpperCase(Locale.ROOT)));
            }
        }
        return new TaskTypeOverride(document.path("title").asText(null), candidates, allowed, document.has(
                "priority") ? document.get("priority").asInt() : null, document.has("dueIn")
                        ? Duration.parse(document
                                .get("dueIn").asText())
                        : null);
    }

    /**
     * Every problem of {@code document} as an override of a type whose error data has {@code dataSchema}, each at
     * its pointer: unknown members, a template naming a field the data does not declare, bad roles, actions,
     * priority or duration.
     */
    public static List<FieldError> problems(JsonNode document, JsonNode dataSchema) {
        List<FieldError> errors = new ArrayList<>();
        if (document == null || !document.isObject()) {
            errors.add(new FieldError("", "an override is an object with any of " + MEMBERS));
            return errors;
        }
        for (Iterator<String> names = document.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!MEMBERS.contains(name)) {
                errors.add(new FieldError("/" + name, "not an override member; one of " + MEMBERS));
            }
        }
        JsonNode title = document.get("title");
        if (title != null) {
            if (!title.isTextual() || title.asText().isBlank() || title.asText().length() > 200) {
                errors.add(new FieldError("/title", "a non-empty template of at most 200 characters"));
            } else {
                JsonNode properties = dataSchema == null ? null : dataSchema.get("properties");
                for (String field : TitleTemplate.fields(title.asText())) {
                    if (properties == null || !properties.has(field)) {
                        errors.add(new FieldError("/title", "names {{" + field + "}}, which the error's data does "
                                + "not declare"));
                    }
                }
            }
        }
        JsonNode candidates = document.get("candidates");
        if (candidates != null) {
            if (!candidates.isArray() || candidates.isEmpty()) {
                errors.add(new FieldError("/candidates", "a non-empty list of roles"));
            } else {
                for (int i = 0; i < candidates.size(); i++) {
                    if (!candidates.get(i).isTextual() || !candidates.get(i).asText().matches(ROLE)) {
                        errors.add(new FieldError("/candidates/" + i, "a role name like flowline-finance"));
                    }
                }
            }
        }
        JsonNode actions = document.get("allowedActions");
        if (actions != null) {
            if (!actions.isArray() || actions.isEmpty()) {
                errors.add(new FieldError("/allowedActions", "a non-empty list of retry, skip, abort"));
            } else {
                for (int i = 0; i < actions.size(); i++) {
                    String action = actions.get(i).asText("");
                    if (!List.of("retry", "skip", "abort").contains(action)) {
                        errors.add(new FieldError("/allowedActions/" + i, "retry, skip or abort, not " + action));
                    }
                }
            }
        }
        JsonNode priority = document.get("priority");
        if (priority != null && (!priority.isIntegralNumber() || priority.asInt() < 0 || priority.asInt() > 100)) {
            errors.add(new FieldError("/priority", "an integer from 0 to 100"));
        }
        JsonNode dueIn = document.get("dueIn");
        if (dueIn != null) {
            try {
                Duration duration = Duration.parse(dueIn.asText(""));
                if (duration.isNegative() || duration.isZero()) {
                    errors.add(new FieldError("/dueIn", "a positive duration"));
                }
            } catch (DateTimeParseException e) {
                errors.add(new FieldError("/dueIn", "an ISO-8601 duration, e.g. PT4H or P2D"));
            }
        }
        return errors;
    }
}
