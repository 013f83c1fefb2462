package dev.flowline.expression;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A condition in Flowline's one condition language (triggers, workflow branches, UI rules):
 * {@code {"status": ["confirmed","pending"], "amount": {"gt": 1000}, "source": "channel_manager"}}. Fields are ANDed,
 * a list value is an OR of equalities, an object value applies operators from a closed set, and {@code $and},
 * {@code $or}, {@code $not} combine conditions. Keys are dot paths relative to a base (an event's {@code data}), or
 * {@code $.}-paths absolute from the root document. Numbers compare as decimals. When the value found is an array,
 * a positive test matches if any element matches, a negative one ({@code ne}, {@code nin}, {@code anything-but})
 * if none does. Parsed once at save time; evaluation is interpretation of the parsed tree.
 */
public final class Condition {

    /** The closed operator set. */
    public enum Operator {
        EQ("eq"), NE("ne"), IN("in"), NIN("nin"), GT("gt"), GTE("gte"), LT("lt"), LTE("lte"), EXISTS("exists"), PREFIX(
                "prefix"), SUFFIX("suffix"), ANYTHING_BUT("anything-but");

        private final String word;

        Operator(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        static Operator of(String word) {
            for (Operator op : values()) {
                if (op.word.equals(word)) {
                    return op;
                }
            }
            return null;
        }

        static String words() {
            List<String> words = new ArrayList<>();
            for (Operator op : values()) {
                words.add(op.word);
            }
            return String.join(", ", words);
        }
    }

    /** A node of the parsed condition. */
    public sealed interface Node permits All, Any, Not, Test {
    }

    public record All(List<Node> nodes) implements Node {
    }

    public record Any(List<Node> nodes) implements Node {
    }

    public record Not(Node node) implements Node {
    }

    /**
     * One comparison.
     *
     * @param key the key as written
     * @param path the path it names
     * @param absolute whether {@code path} starts at the root rather than the base
     * @param pointer where the test is written in the saved document
     */
    public record Test(String key, JsonPath path, boolean absolute, Operator operator, JsonNode operand,
            String pointer) implements Node {
    }

    /** Why a condition did not match: the first failing test. */
    public record Failure(String path, String operator, JsonNode expected, JsonNode actual) {
    }

    /** The result of an evaluation; {@code failure} is set when it did not match. */
    public record Outcome(boolean matched, Failure failure) {
    }

    private static final Outcome MATCHED = new Outcome(true, null);

    private final Node root;

    private Condition(Node root) {
        this.root = root;
    }

    public Node root() {
        return root;
    }

    /**
     * Parses a condition object.
     *
     * @throws ExpressionException listing every invalid place, with pointers below {@code pointer}
     */
    public static Condition parse(JsonNode json, String pointer) {
        List<ExpressionError> errors = new ArrayList<>();
        Node node = parseObject(json, pointer, errors);
        if (!errors.isEmpty()) {
            throw new ExpressionException(errors);
        }
        return new Condition(node);
    }

    private static Node parseObject(JsonNode json, String pointer, List<ExpressionError> errors) {
        if (json == null || !json.isObject()) {
            errors.add(new ExpressionError(pointer, "a condition is a JSON object"));
            return new All(List.of());
        }
        List<Node> nodes = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            String at = JsonPointers.append(pointer, key);
            switch (key) {
                case "$and", "$or" -> {
                    if (!value.isArray() || value.isEmpty()) {
                        errors.add(new ExpressionError(at, key + " takes a non-empty list of conditions"));
                        continue;
                    }
                    List<Node> parts = new ArrayList<>();
                    for (int i = 0; i < value.size(); i++) {
                        parts.add(parseObject(value.get(i), JsonPointers.append(at, i), errors));
                    }
                    nodes.add(key.equals("$and") ? new All(parts) : new Any(parts));
                }
                case "$not" -> nodes.add(new Not(parseObject(value, at, errors)));
                default -> parseField(key, value, at, nodes, errors);
            }
        }
        return nodes.size() == 1 ? nodes.get(0) : new All(nodes);
    }

    private static void parseField(String key, JsonNode value, String at, List<Node> nodes,
            List<ExpressionError> errors) {
        JsonPath path;
        boolean absolute = key.startsWith("$");
        try {
            path = absolute ? JsonPath.parse(key) : JsonPath.parseDotted(key);
        } catch (IllegalArgumentException e) {
            errors.add(new ExpressionError(at, "invalid field path: " + e.getMessage()));
            return;
        }
        if (value.isArray()) {
            checkScalars(value, at, "a list of values", errors);
            nodes.add(new Test(key, path, absolute, Operator.IN, value, at));
        } else if (value.isObject()) {
            if (value.isEmpty()) {
                errors.add(new ExpressionError(at, "an operator object needs at least one of: " + Operator.words()));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> op = it.next();
                String opAt = JsonPointers.append(at, op.getKey());
                Operator operator = Operator.of(op.getKey());
                if (operator == null) {
                    errors.add(new ExpressionError(opAt, "unknown operator '" + op.getKey() + "'; operators are "
                            + Operator.words()));
                    continue;
                }
                checkOperand(operator, op.getValue(), opAt, errors);
                nodes.add(new Test(key, path, absolute, operator, op.getValue(), opAt));
            }
        } else {
            nodes.add(new Test(key, path, absolute, Operator.EQ, value, at));
        }
    }

    private static void checkOperand(Operator operator, JsonNode operand, String at, List<ExpressionError> errors) {
        switch (operator) {
            case EQ, NE -> {
                if (operand.isContainerNode()) {
                    errors.add(new ExpressionError(at, operator.word + " compares with a single value"));
                }
            }
            case IN, NIN -> {
                if (!operand.isArray()) {
                    errors.add(new ExpressionError(at, operator.word + " takes a list of values"));
                } else {
                    checkScalars(operand, at, "a list of values", errors);
                }
            }
            case ANYTHING_BUT -> {
                if (operand.isObject()) {
                    errors.add(new ExpressionError(at, "anything-but takes a value or a list of values"));
                } else if (operand.isArray()) {
                    checkScalars(operand, at, "a list of values", errors);
                }
            }
            case GT, GTE, LT, LTE -> {
                if (!operand.isNumber() && !operand.isTextual()) {
                    errors.add(new ExpressionError(at, operator.word + " compares with a number (or an ISO-8601 "
                            + "string)"));
                } else if (operand.isNumber() && Numbers.decimal(operand) == null) {
                    errors.add(new ExpressionError(at, operator.word + " compares with a number whose exponent is "
                            + "at most " + Numbers.MAX_EXPONENT + " either way"));
                }
            }
            case EXISTS -> {
                if (!operand.isBoolean()) {
                    errors.add(new ExpressionError(at, "exists takes true or false"));
                }
            }
            case PREFIX, SUFFIX -> {
                if (!operand.isTextual()) {
                    errors.add(new ExpressionError(at, operator.word + " takes a string"));
                }
            }
        }
    }

    private static void checkScalars(JsonNode list, String at, String what, List<ExpressionError> errors) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).isContainerNode()) {
                errors.add(new ExpressionError(JsonPointers.append(at, i), what + " holds scalars only"));
            }
        }
    }

    /** Every comparison in the condition, for checks at save time (paths exist, types compare). */
    public List<Test> tests() {
        List<Test> tests = new ArrayList<>();
        collect(root, tests);
        return tests;
    }

    private static void collect(Node node, List<Test> tests) {
        if (node instanceof Test test) {
            tests.add(test);
        } else if (node instanceof All all) {
            all.nodes().forEach(n -> collect(n, tests));
        } else if (node instanceof Any any) {
            any.nodes().forEach(n -> collect(n, tests));
        } else {
            collect(((Not) node).node(), tests);
        }
    }

    /**
     * Evaluates against {@code document}; relative keys are read below {@code base}.
     */
    public Outcome evaluate(JsonNode document, JsonPath base) {
        // The base is read once; relative keys then read below it without building paths per event.
        return evaluate(root, document, failurePaths(base), base.read(document));
    }

    /** The failure path text of each test under one base, built once: failures are the common outcome. */
    private record FailurePaths(JsonPath base, Map<Test, String> text) {
    }

    private volatile FailurePaths failurePaths;

    private FailurePaths failurePaths(JsonPath base) {
        FailurePaths current = failurePaths;
        if (current != null && (current.base() == base || current.base().equals(base))) {
            return current;
        }
        List<Test> tests = new ArrayList<>();
        collect(root, tests);
        Map<Test, String> text = new IdentityHashMap<>();
        for (Test test : tests) {
            text.put(test, (test.absolute() ? test.path() : base.resolve(test.path())).toString());
        }
        current = new FailurePaths(base, text);
        failurePaths = current;
        return current;
    }

    private static Outcome evaluate(Node node, JsonNode document, FailurePaths paths, JsonNode baseNode) {
        if (node instanceof All all) {
            for (Node part : all.nodes()) {
                Outcome outcome = evaluate(part, document, paths, baseNode);
                if (!outcome.matched()) {
                    return outcome;
                }
            }
            return new Outcome(true, null);
        }
        if (node instanceof Any any) {
            Outcome first = null;
            for (Node part : any.nodes()) {
                Outcome outcome = evaluate(part, document, paths, baseNode);
                if (outcome.matched()) {
                    return outcome;
                }
                first = first == null ? outcome : first;
            }
            return first == null ? new Outcome(false, null) : first;
        }
        if (node instanceof Not not) {
            Outcome inner = evaluate(not.node(), document, paths, baseNode);
            return inner.matched()
                    ? new Outcome(false, new Failure("$not", "not", null, null))
                    : new Outcome(true, null);
        }
        Test test = (Test) node;
        JsonNode actual = test.absolute() ? test.path().read(document) : test.path().read(baseNode);
        boolean matched = test(test.operator(), test.operand(), actual);
        return matched
                ? MATCHED
                : new Outcome(false, new Failure(paths.text().get(test), test.operator().word(), test.operand(),
                        actual.isMissingNode() ? null : actual));
    }

    static boolean test(Operator operator, JsonNode operand, JsonNode actual) {
        if (operator == Operator.EXISTS) {
            return operand.asBoolean() != actual.isMissingNode();
        }
        if (actual.isMissingNode()) {
            return false;
        }
        return switch (operator) {
            case NE -> !any(Operator.EQ, operand, actual);
            case NIN -> !any(Operator.IN, operand, actual);
            case ANYTHING_BUT -> !any(operand.isArray() ? Operator.IN : Operator.EQ, operand, actual);
            default -> any(operator, operand, actual);
        };
    }

    /** Whether the value, or any element of an array value, passes a positive test (no lambda per evaluation). */
    private static boolean any(Operator operator, JsonNode operand, JsonNode actual) {
        if (actual.isArray()) {
            for (JsonNode element : actual) {
                if (single(operator, operand, element)) {
                    return true;
                }
            }
            return false;
        }
        return single(operator, operand, actual);
    }

    private static boolean single(Operator operator, JsonNode operand, JsonNode value) {
        return switch (operator) {
            case EQ -> same(value, operand);
            case IN -> contains(operand, value);
            case GT -> compare(value, operand) > 0;
            case GTE -> {
                int c = compare(value, operand);
                yield c >= 0 && c != NA;
            }
            case LT -> {
                int c = compare(value, operand);
                yield c < 0 && c != NA;
            }
            case LTE -> {
                int c = compare(value, operand);
                yield c <= 0 && c != NA;
            }
            case PREFIX -> value.isTextual() && value.asText().startsWith(operand.asText());
            case SUFFIX -> value.isTextual() && value.asText().endsWith(operand.asText());
            default -> throw new IllegalStateException("not a positive test: " + operator);
        };
    }

    /** Returned by {@link #compare} when the values cannot be ordered. */
    private static final int NA = Integer.MIN_VALUE;

    private static int compare(JsonNode actual, JsonNode operand) {
        if (actual.isNumber() && operand.isNumber()) {
            BigDecimal a = Numbers.decimal(actual);
            BigDecimal b = Numbers.decimal(operand);
            return a == null || b == null ? NA : Integer.signum(a.compareTo(b));
        }
        if (actual.isTextual() && operand.isTextual()) {
            return Integer.signum(actual.asText().compareTo(operand.asText()));
        }
        return NA;
    }

    private static boolean contains(JsonNode list, JsonNode value) {
        for (JsonNode candidate : list) {
            if (same(value, candidate)) {
                return true;
            }
        }
        return false;
    }

    /** Equality with numbers compared as decimals (1000 equals 1000.0). */
    static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            BigDecimal x = Numbers.decimal(a);
            BigDecimal y = Numbers.decimal(b);
            // A number out of bounds equals only the same text (as ConditionIndex keys it).
            return x == null || y == null
                    ? x == null && y == null && a.asText().equals(b.asText())
                    : x.compareTo(y) == 0;
        }
        return a.equals(b);
    }
}
