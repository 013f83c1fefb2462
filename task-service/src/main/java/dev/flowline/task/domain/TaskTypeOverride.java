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
import dev.flowline.expression.ExpressionException;
import dev.flowline.expression.JsonPath;
import dev.flowline.expression.SchemaPaths;
import dev.flowline.servicekit.json.JsonSchemaValidation;
import dev.flowline.servicekit.problem.Problem.FieldError;

/**
 * What an editor may change about a derived task type, every member optional: {@code title} and
 * {@code description} ({@link TitleTemplate}s over the error data); {@code candidates} (roles),
 * {@code candidateUsers} (user names), {@code candidateRolesFrom} and {@code candidateUsersFrom} (a path into the
 * error data naming more, a string or a list of strings); {@code allowedActions} (retry, skip, abort);
 * {@code priority} (0–100); {@code dueIn} (ISO-8601, e.g. {@code PT4H}: the task is due that long after it opens,
 * or when the run stops waiting if that is sooner); {@code escalations} (rules run that long after the task opened,
 * in order); {@code onExpiry} (what the run is told when the task expires: abort by default, or skip with an output,
 * or retry with the step's input); {@code resolutionStep} (a catalog step called with the person's data before a
 * retry or skip resumes the run, see {@link ResolutionStep}).
 */
public record TaskTypeOverride(String title, String description, List<String> candidates,
        List<String> candidateUsers, JsonPath candidateRolesFrom, JsonPath candidateUsersFrom,
        Set<TaskResolved.Resolution> allowedActions, Integer priority, Duration dueIn, List<Escalation> escalations,
        ExpiryOutcome onExpiry, ResolutionStep resolutionStep) {

    /**
     * After {@code after} from the task's opening: hand it to {@code reassignTo} (its only candidate role from then
     * on; whoever held it lets go), raise its priority to {@code raisePriorityTo} (never lowers it), and with
     * {@code notify} ({@code notifyPeople}) ask others to tell people (the {@code ESCALATED} record says so). Any one effect at least.
     */
    public record Escalation(Duration after, String reassignTo, Integer raisePriorityTo, boolean notifyPeople) {
    }

    /** What an expired task resolves as, told to the run: {@code abort} (the default) with a reason, or {@code skip}. */
    public record ExpiryOutcome(TaskResolved.Resolution action, JsonNode output, String reason) {
        public static final ExpiryOutcome ABORT = new ExpiryOutcome(TaskResolved.Resolution.ABORT, null, null);
    }

    public static final TaskTypeOverride NONE = new TaskTypeOverride(null, null, null, null, null, null, null, null,
            null, List.of(), ExpiryOutcome.ABORT, null);

    static final Set<String> MEMBERS = Set.of("title", "description", "candidates", "candidateUsers",
            "candidateRolesFrom", "candidateUsersFrom", "allowedActions", "priority", "dueIn", "escalations",
            "onExpiry", "resolutionStep");
    static final String ROLE = "[a-z][a-z0-9-]*";
    static final String USER = "[A-Za-z0-9][A-Za-z0-9._@-]*";
    static final Set<String> ESCALATION_MEMBERS = Set.of("after", "reassignTo", "raisePriorityTo", "notify");
    static final Set<String> EXPIRY_MEMBERS = Set.of("action", "output", "reason");

    /** Reads a saved (valid) document. */
    public static TaskTypeOverride read(JsonNode document) {
        Set<TaskResolved.Resolution> allowed = null;
        if (document.has("allowedActions")) {
            allowed = EnumSet.noneOf(TaskResolved.Resolution.class);
            for (JsonNode action : document.get("allowedActions")) {
                allowed.add(resolution(action.asText()));
            }
        }
        List<Escalation> escalations = new ArrayList<>();
        for (JsonNode rule : document.path("escalations")) {
            escalations.add(new Escalation(Duration.parse(rule.get("after").asText()), rule.path("reassignTo").asText(
                    null), rule.has("raisePriorityTo") ? rule.get("raisePriorityTo").asInt() : null,
                    rule.path(
                            "notify").asBoolean(false)));
        }
        ExpiryOutcome onExpiry = ExpiryOutcome.ABORT;
        JsonNode expiry = document.get("onExpiry");
        if (expiry != null) {
            onExpiry = new ExpiryOutcome(resolution(expiry.get("action").asText()), expiry.get("output"), expiry.path(
                    "reason").asText(null));
        }
        return new TaskTypeOverride(document.path("title").asText(null), document.path("description").asText(null),
                strings(document.get("candidates")), strings(document.get("candidateUsers")), path(document.get(
                        "candidateRolesFrom")),
                path(document.get("candidateUsersFrom")), allowed, document.has("priority")
                        ? document.get("priority").asInt()
                        : null,
                document.has("dueIn") ? Duration.parse(document.get("dueIn").asText()) : null, List.copyOf(
                        escalations),
                onExpiry, document.has("resolutionStep") ? ResolutionStep.read(document.get("resolutionStep")) : null);
    }

    /**
     * Every problem of {@code document} as an override of a type whose error data has {@code dataSchema} and whose
     * step answers {@code outputSchema}, each at its pointer: unknown members, a template or path naming a field the
     * data does not declare, bad roles, users, actions, priority, durations, escalation rules or expiry outcome.
     */
    public static List<FieldError> problems(JsonNode document, JsonNode dataSchema, JsonNode outputSchema) {
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
        template(document, "title", 200, dataSchema, errors);
        template(document, "description", 2000, dataSchema, errors);
        names(document, "candidates", ROLE, "a role name like flowline-finance", errors);
        names(document, "candidateUsers", USER, "a user name", errors);
        dataPath(document, "candidateRolesFrom", dataSchema, errors);
        dataPath(document, "candidateUsersFrom", dataSchema, errors);
        JsonNode actions = document.get("allowedActions");
        if (actions != null) {
            if (!actions.isArray() || actions.isEmpty()) {
                errors.add(new FieldError("/allowedActions", "a non-empty list of retry, skip, abort"));
            } else {
                for (int i = 0; i < actions.size(); i++) {
                    if (!isResolution(actions.get(i))) {
                        errors.add(new FieldError("/allowedActions/" + i, "retry, skip or abort, not " + actions.get(i)
                                .asText("")));
                    }
                }
            }
        }
        JsonNode priority = document.get("priority");
        if (priority != null && !isPriority(priority)) {
            errors.add(new FieldError("/priority", "an integer from 0 to 100"));
        }
        if (document.has("dueIn")) {
            duration(document.get("dueIn"), "/dueIn", errors);
        }
        escalations(document.get("escalations"), errors);
        expiry(document.get("onExpiry"), outputSchema, errors);
        if (document.has("resolutionStep")) {
            errors.addAll(ResolutionStep.problems(document.get("resolutionStep")));
        }
        return errors;
    }

    private static void template(JsonNode document, String member, int max, JsonNode dataSchema,
            List<FieldError> errors) {
        JsonNode template = document.get(member);
        if (template == null) {
            return;
        }
        if (!template.isTextual() || template.asText().isBlank() || template.asText().length() > max) {
            errors.add(new FieldError("/" + member, "a non-empty template of at most " + max + " characters"));
            return;
        }
        JsonNode properties = dataSchema == null ? null : dataSchema.get("properties");
        for (String field : TitleTemplate.fields(template.asText())) {
            if (properties == null || !properties.has(field)) {
                errors.add(new FieldError("/" + member, "names {{" + field + "}}, which the error's data does not "
                        + "declare"));
            }
        }
    }

    private static void names(JsonNode document, String member, String pattern, String what,
            List<FieldError> errors) {
        JsonNode names = document.get(member);
        if (names == null) {
            return;
        }
        if (!names.isArray() || names.isEmpty()) {
            errors.add(new FieldError("/" + member, "a non-empty list, each " + what));
            return;
        }
        for (int i = 0; i < names.size(); i++) {
            if (!names.get(i).isTextual() || !names.get(i).asText().matches(pattern)) {
                errors.add(new FieldError("/" + member + "/" + i, what));
            }
        }
    }

    private static void dataPath(JsonNode document, String member, JsonNode dataSchema, List<FieldError> errors) {
        JsonNode text = document.get(member);
        if (text == null) {
            return;
        }
        String pointer = "/" + member;
        if (!text.isTextual()) {
            errors.add(new FieldError(pointer, "a path into the error data, like $.approver"));
            return;
        }
        JsonPath path;
        try {
            path = JsonPath.parse(text.asText());
        } catch (ExpressionException | IllegalArgumentException e) {
            errors.add(new FieldError(pointer, e.getMessage()));
            return;
        }
        if (dataSchema == null) {
            errors.add(new FieldError(pointer, "the error declares no data to read candidates from"));
            return;
        }
        SchemaPaths.Resolution resolved = SchemaPaths.resolve(dataSchema, path);
        if (!resolved.found()) {
            errors.add(new FieldError(pointer, resolved.error()));
            return;
        }
        Set<String> types = SchemaPaths.types(resolved.schema());
        if (!types.contains("string") && !types.contains("array")) {
            errors.add(new FieldError(pointer, text.asText() + " is not a string or a list of strings in the error's "
                    + "data"));
        }
    }

    private static void escalations(JsonNode rules, List<FieldError> errors) {
        if (rules == null) {
            return;
        }
        if (!rules.isArray() || rules.isEmpty() || rules.size() > 10) {
            errors.add(new FieldError("/escalations", "a list of one to ten rules"));
            return;
        }
        Duration previous = Duration.ZERO;
        for (int i = 0; i < rules.size(); i++) {
            JsonNode rule = rules.get(i);
            String at = "/escalations/" + i;
            if (!rule.isObject()) {
                errors.add(new FieldError(at, "a rule: after, and any of reassignTo, raisePriorityTo, notify"));
                continue;
            }
            for (Iterator<String> names = rule.fieldNames(); names.hasNext();) {
                String name = names.next();
                if (!ESCALATION_MEMBERS.contains(name)) {
                    errors.add(new FieldError(at + "/" + name, "not a rule member; one of " + ESCALATION_MEMBERS));
                }
            }
            Duration after = duration(rule.get("after"), at + "/after", errors);
            if (after != null) {
                if (after.compareTo(previous) <= 0) {
                    errors.add(new FieldError(at + "/after", "later than the rule before it"));
                }
                previous = after;
            }
            JsonNode reassign = rule.get("reassignTo");
            if (reassign != null && (!reassign.isTextual() || !reassign.asText().matches(ROLE))) {
                errors.add(new FieldError(at + "/reassignTo", "a role name like flowline-finance-leads"));
            }
            JsonNode raise = rule.get("raisePriorityTo");
            if (raise != null && !isPriority(raise)) {
                errors.add(new FieldError(at + "/raisePriorityTo", "an integer from 0 to 100"));
            }
            JsonNode notify = rule.get("notify");
            if (notify != null && !notify.isBoolean()) {
                errors.add(new FieldError(at + "/notify", "true or false"));
            }
            if (reassign == null && raise == null && !rule.path("notify").asBoolean(false)) {
                errors.add(new FieldError(at, "does nothing: give reassignTo, raisePriorityTo or notify: true"));
            }
        }
    }

    private static void expiry(JsonNode expiry, JsonNode outputSchema, List<FieldError> errors) {
        if (expiry == null) {
            return;
        }
        if (!expiry.isObject() || !isResolution(expiry.get("action"))) {
            errors.add(new FieldError("/onExpiry/action", "abort, skip or retry: what the run is told"));
            return;
        }
        for (Iterator<String> names = expiry.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!EXPIRY_MEMBERS.contains(name)) {
                errors.add(new FieldError("/onExpiry/" + name, "not a member; one of " + EXPIRY_MEMBERS));
            }
        }
        TaskResolved.Resolution action = resolution(expiry.get("action").asText());
        JsonNode output = expiry.get("output");
        if (action == TaskResolved.Resolution.SKIP) {
            if (output == null) {
                errors.add(new FieldError("/onExpiry/output", "skip needs the output the run goes on with"));
            } else if (outputSchema != null) {
                errors.addAll(JsonSchemaValidation.validate(JsonSchemaValidation.compile(outputSchema,
                        JsonSchemaValidation.options("urn:flowline:task:expiry-output")), output, "/onExpiry/output"));
            }
        } else if (output != null) {
            errors.add(new FieldError("/onExpiry/output", "only a skip carries an output"));
        }
        JsonNode reason = expiry.get("reason");
        if (reason != null && (!reason.isTextual() || reason.asText().length() > 500)) {
            errors.add(new FieldError("/onExpiry/reason", "a text of at most 500 characters"));
        }
    }

    private static Duration duration(JsonNode text, String pointer, List<FieldError> errors) {
        try {
            Duration duration = Duration.parse(text == null ? "" : text.asText(""));
            if (duration.isNegative() || duration.isZero()) {
                errors.add(new FieldError(pointer, "a positive duration"));
                return null;
            }
            return duration;
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(pointer, "an ISO-8601 duration, e.g. PT4H or P2D"));
            return null;
        }
    }

    private static boolean isPriority(JsonNode value) {
        return value.isIntegralNumber() && value.asInt() >= 0 && value.asInt() <= 100;
    }

    private static boolean isResolution(JsonNode value) {
        return value != null && value.isTextual() && List.of("retry", "skip", "abort").contains(value.asText());
    }

    private static TaskResolved.Resolution resolution(String word) {
        return TaskResolved.Resolution.valueOf(word.toUpperCase(Locale.ROOT));
    }

    private static List<String> strings(JsonNode list) {
        if (list == null) {
            return null;
        }
        List<String> values = new ArrayList<>();
        list.forEach(value -> values.add(value.asText()));
        return List.copyOf(values);
    }

    private static JsonPath path(JsonNode text) {
        return text == null ? null : JsonPath.parse(text.asText());
    }
}
