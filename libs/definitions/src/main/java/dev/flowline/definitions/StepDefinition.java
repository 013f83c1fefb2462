package dev.flowline.definitions;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A step definition: a reusable, versioned function on AWS Lambda or behind HTTP with typed input, output and errors.
 *
 * @param binding where the step runs; null in a draft that has none yet (the legacy import cannot know it)
 * @param input JSON Schema of the step's input
 * @param output JSON Schema of the step's output
 * @param permissions roles allowed to use the step in a workflow; empty means any editor
 * @param unknown members the language does not define, kept as they were
 */
public record StepDefinition(String name, String version, String displayName, String description, Binding binding,
        JsonNode input, JsonNode output, List<ErrorDeclaration> errors, Retry retry, Duration timeout,
        List<String> permissions, ObjectNode unknown) {

    private static final Set<String> MEMBERS = Set.of("name", "version", "displayName", "description", "binding",
            "input", "output", "errors", "retry", "timeout", "permissions");

    /** Where a step runs. */
    public sealed interface Binding permits LambdaBinding, HttpBinding {
        String type();
    }

    /** An AWS Lambda function, by name or ARN, optionally a version or alias. */
    public record LambdaBinding(String function, String qualifier) implements Binding {
        public static final String TYPE = "lambda";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** An HTTP endpoint the runner POSTs (or PUTs) to. */
    public record HttpBinding(String url, String method) implements Binding {
        public static final String TYPE = "http";

        @Override
        public String type() {
            return TYPE;
        }

        public String methodOrDefault() {
            return method == null ? "POST" : method;
        }
    }

    /**
     * An error the step declares: a code, a message and the JSON Schema of the data it carries.
     *
     * @param data JSON Schema of the error's data; null when the error carries none
     */
    public record ErrorDeclaration(String code, String message, JsonNode data, boolean retryable) {
    }

    public StepDefinition {
        errors = List.copyOf(errors);
        permissions = List.copyOf(permissions);
        input = input == null ? Members.NODES.objectNode() : input;
        output = output == null ? Members.NODES.objectNode() : output;
        unknown = unknown == null ? Members.NODES.objectNode() : unknown;
    }

    public static StepDefinition parse(JsonNode document) {
        List<DefinitionError> problems = new ArrayList<>();
        Members m = Members.root(document, problems, MEMBERS);
        String name = m.requiredText("name");
        String version = m.requiredText("version");
        Binding binding = binding(m.get("binding"), problems);
        List<ErrorDeclaration> errors = new ArrayList<>();
        JsonNode declared = m.get("errors");
        if (declared != null && !declared.isArray()) {
            m.error("/errors", "errors must be a list");
        } else if (declared != null) {
            for (int i = 0; i < declared.size(); i++) {
                Members e = Members.nested(declared.get(i), "/errors/" + i, problems, Set.of());
                errors.add(new ErrorDeclaration(e.requiredText("code"), e.text("message"), e.get("data"), e.bool(
                        "retryable", false)));
            }
        }
        StepDefinition step = new StepDefinition(name, version, m.text("displayName"), m.text("description"), binding,
                m.get("input"), m.get("output"), errors, Retry.read(m.get("retry"), "/retry", problems), Duration
                        .read(m, "timeout"),
                m.texts("permissions"), m.unknown());
        Members.throwIfAny(problems);
        return step;
    }

    private static Binding binding(JsonNode json, List<DefinitionError> problems) {
        if (json == null) {
            return null;
        }
        Members b = Members.nested(json, "/binding", problems, Set.of());
        String type = b.requiredText("type");
        if (LambdaBinding.TYPE.equals(type)) {
            return new LambdaBinding(b.requiredText("function"), b.text("qualifier"));
        }
        if (HttpBinding.TYPE.equals(type)) {
            return new HttpBinding(b.requiredText("url"), b.text("method"));
        }
        if (type != null) {
            b.error("/binding/type", "a binding is lambda or http, got '" + type + "'");
        }
        return null;
    }

    /** The declared error with this code. */
    public Optional<ErrorDeclaration> error(String code) {
        return errors.stream().filter(e -> e.code().equals(code)).findFirst();
    }

    public List<String> errorCodes() {
        return errors.stream().map(ErrorDeclaration::code).toList();
    }

    /** {@code name@version}, as messages name a step. */
    public String label() {
        return name + "@" + version;
    }

    /** The document this definition was read from (members in the language's order, unknown ones after). */
    public ObjectNode toJson() {
        ObjectNode out = Members.NODES.objectNode();
        Members.putIfPresent(out, "name", name);
        Members.putIfPresent(out, "version", version);
        Members.putIfPresent(out, "displayName", displayName);
        Members.putIfPresent(out, "description", description);
        if (binding instanceof LambdaBinding lambda) {
            ObjectNode b = out.putObject("binding").put("type", LambdaBinding.TYPE).put("function", lambda.function());
            Members.putIfPresent(b, "qualifier", lambda.qualifier());
        } else if (binding instanceof HttpBinding http) {
            ObjectNode b = out.putObject("binding").put("type", HttpBinding.TYPE).put("url", http.url());
            Members.putIfPresent(b, "method", http.method());
        }
        out.set("input", input.deepCopy());
        out.set("output", output.deepCopy());
        // Always written: "no errors" and an empty list mean the same, and the legacy import writes the list.
        ArrayNode errorList = out.putArray("errors");
        {
            ArrayNode list = errorList;
            for (ErrorDeclaration e : errors) {
                ObjectNode error = list.addObject().put("code", e.code());
                Members.putIfPresent(error, "message", e.message());
                Members.putIfPresent(error, "data", e.data());
                if (e.retryable()) {
                    error.put("retryable", true);
                }
            }
        }
        if (retry != null) {
            out.set("retry", retry.toJson());
        }
        if (timeout != null) {
            out.put("timeout", timeout.text());
        }
        if (!permissions.isEmpty()) {
            ArrayNode list = out.putArray("permissions");
            permissions.forEach(list::add);
        }
        out.setAll(unknown.deepCopy());
        return out;
    }
}
