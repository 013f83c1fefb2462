package dev.flowline.definitions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.flowline.expression.Condition;
import dev.flowline.expression.JsonPath;
import dev.flowline.expression.JsonPointers;
import dev.flowline.expression.Mapping;

/**
 * A workflow definition: steps keyed by id composed into a graph, started by a command event. Expressions (input
 * mappings, branch conditions, the output mapping, the concurrency key) are parsed here once.
 *
 * @param version an integer ({@code 3}) or a semantic version, as text
 * @param command the event name that starts the workflow (legacy {@code inngest_event} names as they are)
 * @param input JSON Schema of the workflow's input
 * @param steps by id, in the order written
 * @param end the steps whose completion ends the run
 * @param output mapping from the run's state to the workflow's output; null when none
 * @param concurrency null when unlimited
 * @param legacy what a legacy import kept for the export; null when not imported
 * @param unknown members the language does not define, kept as they were
 */
public record WorkflowDefinition(String name, String version, String displayName, String description,
        String command, JsonNode input, String start, Map<String, WorkflowStep> steps, List<String> end,
        Expression<Mapping> output, Concurrency concurrency, JsonNode legacy, ObjectNode unknown) {

    private static final Set<String> MEMBERS = Set.of("name", "version", "displayName", "description", "command",
            "input", "start", "steps", "end", "output", "legacy", "concurrency");
    private static final Set<String> STEP_MEMBERS = Set.of("uses", "displayName", "description", "with", "next",
            "onError", "retry", "timeout", "maxVisits");

    /** A parsed expression and the JSON it was written as. */
    public record Expression<T>(T parsed, JsonNode json) {
    }

    /**
     * One step of the workflow.
     *
     * @param with the input mapping over the run's state; null when the step takes no mapped input
     * @param next where the run goes after the step; empty for an end step
     * @param onError per error code, and {@code *} for any other
     * @param retry overrides the step definition's retry; null when not overridden
     * @param maxVisits bounds how often a step on a loop runs; null when not bounded
     */
    public record WorkflowStep(String id, StepRef uses, String displayName, String description,
            Expression<Mapping> with, Next next, Map<String, ErrorPolicy> onError, Retry retry, Duration timeout,
            Integer maxVisits, ObjectNode unknown) {

        public WorkflowStep {
            next = next == null ? Next.NONE : next;
            onError = onError == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(onError));
            unknown = unknown == null ? Members.NODES.objectNode() : unknown;
        }

        /** The policy for an error code: its own, else the {@code *} policy, else null. */
        public ErrorPolicy policyFor(String code) {
            ErrorPolicy own = onError.get(code);
            return own != null ? own : onError.get(ErrorPolicy.ANY_CODE);
        }
    }

    /**
     * Where a run goes after a step: one step ({@code "next": "b"}), or branches tried in order, the last without
     * {@code when} being the default.
     *
     * @param plain whether written as a single step id
     */
    public record Next(List<Branch> branches, boolean plain) {

        public static final Next NONE = new Next(List.of(), false);

        public boolean isEnd() {
            return branches.isEmpty();
        }

        /** Every target, in the order written. */
        public List<String> targets() {
            return branches.stream().map(Branch::to).toList();
        }
    }

    /** A branch: go {@code to} a step when the condition holds (always, for the default). */
    public record Branch(Expression<Condition> when, String to) {

        public boolean isDefault() {
            return when == null;
        }
    }

    /**
     * What to do when a step fails with a code.
     *
     * @param retry the retry for {@code retry}; null for the step's own
     * @param taskType the task type for {@code task}; null for the one derived from the step and code
     * @param output for {@code skip}: the output the run goes on with, in place of the step's (checked against the
     *        step's output schema); null for none
     * @param shortForm whether written as a bare word ({@code "task"})
     */
    public record ErrorPolicy(ErrorAction action, Retry retry, String taskType, JsonNode output, boolean shortForm) {
        public static final String ANY_CODE = "*";
    }

    /**
     * @param key a path into the input; runs with the same value share the limit; null for one limit in all
     */
    public record Concurrency(int limit, Expression<JsonPath> key) {
    }

    public WorkflowDefinition {
        steps = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(steps));
        end = List.copyOf(end);
        input = input == null ? Members.NODES.objectNode() : input;
        unknown = unknown == null ? Members.NODES.objectNode() : unknown;
    }

    public static WorkflowDefinition parse(JsonNode document) {
        List<DefinitionError> problems = new ArrayList<>();
        Members m = Members.root(document, problems, MEMBERS);
        String name = m.requiredText("name");
        JsonNode versionNode = m.get("version");
        String version = null;
        if (versionNode != null && (versionNode.isTextual() || versionNode.isIntegralNumber())) {
            version = versionNode.asText();
        } else {
            m.error("/version", "version is required (an integer or a semantic version)");
        }
        Map<String, WorkflowStep> steps = new LinkedHashMap<>();
        JsonNode stepsNode = m.get("steps");
        if (stepsNode == null || !stepsNode.isObject()) {
            m.error("/steps", "steps is required (an object of steps by id)");
        } else {
            stepsNode.fields().forEachRemaining(e -> steps.put(e.getKey(), step(e.getKey(), e.getValue(),
                    problems)));
        }
        JsonNode outputNode = m.get("output");
        Expression<Mapping> output = outputNode == null
                ? null
                : new Expression<>(m.expression(() -> Mapping.parse(outputNode, "/output")), outputNode);
        WorkflowDefinition workflow = new WorkflowDefinition(name, version, m.text("displayName"),
                m.text("description"), m.requiredText("command"), m.get("input"), m.requiredText("start"), steps,
                m.texts("end"), output, concurrency(m.object("concurrency")), m.get("legacy"), m.unknown());
        Members.throwIfAny(problems);
        return workflow;
    }

    private static WorkflowStep step(String id, JsonNode json, List<DefinitionError> problems) {
        String at = JsonPointers.append("/steps", id);
        Members m = Members.nested(json, at, problems, STEP_MEMBERS);
        String uses = m.requiredText("uses");
        StepRef ref = null;
        if (uses != null) {
            try {
                ref = StepRef.parse(uses, at + "/uses");
            } catch (DefinitionException e) {
                problems.addAll(e.errors());
            }
        }
        JsonNode withNode = m.get("with");
        Expression<Mapping> with = withNode == null
                ? null
                : new Expression<>(m.expression(() -> Mapping.parse(withNode, at + "/with")), withNode);
        Map<String, ErrorPolicy> onError = new LinkedHashMap<>();
        JsonNode onErrorNode = m.get("onError");
        if (onErrorNode != null) {
            onErrorNode.fields().forEachRemaining(e -> onError.put(e.getKey(), policy(e.getValue(), at + "/onError/"
                    + e.getKey(), problems)));
        }
        return new WorkflowStep(id, ref, m.text("displayName"), m.text("description"), with, next(m.get("next"),
                at + "/next", m), java.util.Collections.unmodifiableMap(onError),
                Retry.read(m.get("retry"), at
                        + "/retry", problems),
                Duration.read(m, "timeout"), m.integer("maxVisits"), m.unknown());
    }

    private static Next next(JsonNode json, String at, Members m) {
        if (json == null) {
            return Next.NONE;
        }
        if (json.isTextual()) {
            return new Next(List.of(new Branch(null, json.asText())), true);
        }
        if (!json.isArray()) {
            m.error(at, "next is a step id or a list of branches");
            return Next.NONE;
        }
        List<Branch> branches = new ArrayList<>();
        for (int i = 0; i < json.size(); i++) {
            JsonNode branch = json.get(i);
            String pointer = JsonPointers.append(at, i);
            JsonNode when = branch.get("when");
            Expression<Condition> condition = when == null
                    ? null
                    : new Expression<>(m.expression(() -> Condition.parse(when, pointer + "/when")), when);
            JsonNode to = branch.get("to");
            if (to == null || !to.isTextual()) {
                m.error(pointer + "/to", "a branch needs 'to' (a step id)");
            }
            branches.add(new Branch(condition, to == null ? null : to.asText()));
        }
        return new Next(List.copyOf(branches), false);
    }

    private static ErrorPolicy policy(JsonNode json, String at, List<DefinitionError> problems) {
        if (json.isTextual()) {
            ErrorAction action = ErrorAction.fromWord(json.asText());
            if (action == null) {
                problems.add(new DefinitionError(at, "an error policy is retry, task, fail or skip"));
            }
            return new ErrorPolicy(action, null, null, null, true);
        }
        Members m = Members.nested(json, at, problems, Set.of());
        String word = m.requiredText("action");
        ErrorAction action = ErrorAction.fromWord(word);
        if (word != null && action == null) {
            m.error(at + "/action", "an error policy is retry, task, fail or skip");
        }
        JsonNode output = m.get("output");
        if (output != null && action != ErrorAction.SKIP) {
            m.error(at + "/output", "only a skip policy has a substitute output");
        }
        return new ErrorPolicy(action, Retry.read(m.get("retry"), at + "/retry", problems), m.text("taskType"),
                output == null ? null : output.deepCopy(), false);
    }

    private static Concurrency concurrency(Members m) {
        if (m == null) {
            return null;
        }
        Integer limit = m.integer("limit");
        if (limit == null) {
            m.error(m.pointer("limit"), "limit is required (an integer)");
        }
        String key = m.text("key");
        Expression<JsonPath> parsedKey = null;
        if (key != null) {
            try {
                parsedKey = new Expression<>(JsonPath.parse(key), Members.NODES.textNode(key));
            } catch (IllegalArgumentException e) {
                m.error(m.pointer("key"), e.getMessage());
            }
        }
        return new Concurrency(limit == null ? 0 : limit, parsedKey);
    }

    /** Whether the version is written as an integer ({@code 3}) rather than a semantic version. */
    public boolean integerVersion() {
        return version != null && version.matches("[0-9]+");
    }

    public String label() {
        return name + "@" + version;
    }

    public WorkflowStep step(String id) {
        return steps.get(id);
    }

    /** The step names (not ids) the workflow uses. */
    public Set<String> stepNames() {
        Set<String> names = new java.util.LinkedHashSet<>();
        steps.values().forEach(s -> {
            if (s.uses() != null) {
                names.add(s.uses().name());
            }
        });
        return names;
    }

    /** The document this definition was read from (members in the language's order, unknown ones after). */
    public ObjectNode toJson() {
        ObjectNode out = Members.NODES.objectNode();
        Members.putIfPresent(out, "name", name);
        if (integerVersion()) {
            out.put("version", Integer.parseInt(version));
        } else {
            Members.putIfPresent(out, "version", version);
        }
        Members.putIfPresent(out, "displayName", displayName);
        Members.putIfPresent(out, "description", description);
        Members.putIfPresent(out, "command", command);
        out.set("input", input.deepCopy());
        Members.putIfPresent(out, "start", start);
        ObjectNode stepsOut = out.putObject("steps");
        steps.forEach((id, step) -> stepsOut.set(id, stepJson(step)));
        ArrayNode endOut = out.putArray("end");
        end.forEach(endOut::add);
        if (output != null) {
            out.set("output", output.json().deepCopy());
        }
        Members.putIfPresent(out, "legacy", legacy);
        if (concurrency != null) {
            ObjectNode c = out.putObject("concurrency").put("limit", concurrency.limit());
            if (concurrency.key() != null) {
                c.set("key", concurrency.key().json());
            }
        }
        out.setAll(unknown.deepCopy());
        return out;
    }

    private static ObjectNode stepJson(WorkflowStep step) {
        ObjectNode out = Members.NODES.objectNode();
        if (step.uses() != null) {
            out.put("uses", step.uses().toString());
        }
        Members.putIfPresent(out, "displayName", step.displayName());
        Members.putIfPresent(out, "description", step.description());
        if (step.with() != null) {
            out.set("with", step.with().json().deepCopy());
        }
        Next next = step.next();
        if (next.plain()) {
            out.put("next", next.branches().get(0).to());
        } else if (!next.isEnd()) {
            ArrayNode branches = out.putArray("next");
            for (Branch branch : next.branches()) {
                ObjectNode b = branches.addObject();
                if (branch.when() != null) {
                    b.set("when", branch.when().json().deepCopy());
                }
                Members.putIfPresent(b, "to", branch.to());
            }
        }
        if (!step.onError().isEmpty()) {
            ObjectNode onError = out.putObject("onError");
            step.onError().forEach((code, policy) -> {
                String word = policy.action() == null ? null : policy.action().word();
                if (policy.shortForm()) {
                    onError.put(code, word);
                } else {
                    ObjectNode p = onError.putObject(code).put("action", word);
                    if (policy.retry() != null) {
                        p.set("retry", policy.retry().toJson());
                    }
                    Members.putIfPresent(p, "taskType", policy.taskType());
                    if (policy.output() != null) {
                        p.set("output", policy.output().deepCopy());
                    }
                }
            });
        }
        if (step.retry() != null) {
            out.set("retry", step.retry().toJson());
        }
        if (step.timeout() != null) {
            out.put("timeout", step.timeout().text());
        }
        if (step.maxVisits() != null) {
            out.put("maxVisits", step.maxVisits());
        }
        out.setAll(step.unknown().deepCopy());
        return out;
    }
}
