package dev.flowline.uiconfig.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.flowline.expression.Condition;
import dev.flowline.expression.JsonPath;
import dev.flowline.servicekit.json.JsonSchemaValidation;
import dev.flowline.servicekit.problem.Problem.FieldError;

/**
 * The one server-side validation of a view's form data (task-service calls it on resolve; the renderer before it
 * submits), in this order: the rules decide what is shown, enabled and required over the submitted data; the data of
 * hidden inputs is dropped; a required input without a value is an error at its binding; the rest is checked
 * against the data schema; then every cross-field check whose {@code when} holds must have its {@code expect} hold.
 * Every message is at the JSON pointer of the form data it is about.
 */
public final class ViewValidation {

    /** The outcome: the errors, and the data as it would be submitted (hidden inputs' data dropped). */
    public record Result(List<FieldError> errors, JsonNode data) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    /** What the rules make of one component. */
    public record State(boolean visible, boolean enabled, boolean required) {
        static final State ROOT = new State(true, true, false);
    }

    private ViewValidation() {
    }

    /** Evaluates one component's rules over {@code context}, within its parent's state. */
    public static State state(JsonNode component, JsonNode context, State parent) {
        boolean visible = parent.visible() && holds(component.get("show"), context, true) && !holds(component.get(
                "hide"), context, false);
        boolean enabled = parent.enabled() && holds(component.get("enable"), context, true) && !holds(component.get(
                "disable"), context, false);
        boolean required = visible && holds(component.get("require"), context, false);
        return new State(visible, enabled, required);
    }

    public static Result validate(JsonNode view, JsonNode submitted, JsonNode task) {
        JsonNode data = submitted == null || !submitted.isObject()
                ? JsonNodeFactory.instance.objectNode()
                : submitted.deepCopy();
        JsonNode context = ViewContext.of(submitted, task);
        Set<FieldError> errors = new LinkedHashSet<>();
        List<String> hidden = new ArrayList<>();
        ViewComponents.walk(view.get("layout"), "", State.ROOT, (component, at, parent) -> {
            State state = state(component, context, parent);
            if (ViewComponents.binds(component)) {
                String bind = component.get("bind").asText();
                if (!state.visible()) {
                    hidden.add(bind);
                } else if (state.required() && empty(ViewContext.dataPath(bind).relativize(JsonPath.of(
                        new JsonPath.Name(ViewContext.DATA))).read(data))) {
                    errors.add(new FieldError(bind, (component.has("label")
                            ? component.get("label").asText()
                            : bind) + " is required"));
                }
            }
            return state;
        });
        hidden.forEach(pointer -> remove(data, pointer));
        JsonNode schema = view.get("schema");
        if (schema != null) {
            for (FieldError error : JsonSchemaValidation.validate(JsonSchemaValidation.compile(schema,
                    JsonSchemaValidation.options("urn:flowline:view:data")), data, "")) {
                errors.add(beside(error));
            }
        }
        JsonNode checked = ViewContext.of(data, task);
        JsonNode checks = view.get("checks");
        for (int i = 0; checks != null && i < checks.size(); i++) {
            JsonNode check = checks.get(i);
            if (holds(check.get("when"), checked, true) && !holds(check.get("expect"), checked, true)) {
                errors.add(new FieldError(check.get("pointer").asText(), check.get("message").asText()));
            }
        }
        return new Result(List.copyOf(errors), data);
    }

    private static final java.util.regex.Pattern REQUIRED = java.util.regex.Pattern.compile(
            "required property \"([^\"]+)\"");

    /**
     * A missing required member is reported at its parent by JSON Schema; a screen shows it beside the field, so the
     * message moves to the member's own pointer.
     */
    static FieldError beside(FieldError error) {
        java.util.regex.Matcher missing = REQUIRED.matcher(error.detail());
        if (!missing.find()) {
            return error;
        }
        String member = missing.group(1);
        return new FieldError(error.pointer() + "/" + member.replace("~", "~0").replace("/", "~1"), member
                + " is required");
    }

    /** Whether {@code condition} holds over {@code context}; {@code absent} when there is none. */
    static boolean holds(JsonNode condition, JsonNode context, boolean absent) {
        if (condition == null || condition.isNull()) {
            return absent;
        }
        return Condition.parse(condition, "").evaluate(context, JsonPath.root()).matched();
    }

    private static boolean empty(JsonNode value) {
        return value == null || value.isMissingNode() || value.isNull() || value.isTextual() && value.asText().isBlank()
                || value.isArray() && value.isEmpty();
    }

    /** Drops the value at {@code pointer} (nothing when it is not there). */
    private static void remove(JsonNode data, String pointer) {
        if (pointer.isEmpty()) {
            return;
        }
        int last = pointer.lastIndexOf('/');
        JsonNode parent = last == 0 ? data : data.at(pointer.substring(0, last));
        String token = pointer.substring(last + 1).replace("~1", "/").replace("~0", "~");
        if (parent instanceof ObjectNode object) {
            object.remove(token);
        } else if (parent instanceof ArrayNode array && token.matches("[0-9]+") && Integer.parseInt(token) < array
                .size()) {
            array.remove(Integer.parseInt(token));
        }
    }
}
