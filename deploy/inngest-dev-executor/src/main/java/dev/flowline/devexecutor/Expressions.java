package dev.flowline.devexecutor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

/**
 * The expressions of Inngest: CEL over {@code event} (a run's triggering event) and {@code async} (an incoming event,
 * for waits), as in a trigger's {@code if}, a {@code waitForEvent}'s {@code if} and {@code match}. Compiled once per
 * text. An expression that does not compile, or is not boolean, is refused where it is declared (at sync, or when a
 * wait is created) with the compiler's message; one that cannot be evaluated against an event (a missing field) does
 * not match it. JSON numbers are doubles, as Inngest's Go server reads them, and compare with integer literals.
 */
final class Expressions {

    private static final CelOptions OPTIONS = CelOptions.current().enableHeterogeneousNumericComparisons(true)
            .build();
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder().setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS).addVar("event", SimpleType.DYN)
            .addVar("async", SimpleType.DYN).build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS)
            .build();
    private static final Map<String, CelRuntime.Program> PROGRAMS = new ConcurrentHashMap<>();

    private Expressions() {
    }

    /** No expression (null or blank) always matches; @throws IllegalArgumentException naming what is wrong */
    static void check(String expression) {
        if (expression != null && !expression.isBlank()) {
            program(expression);
        }
    }

    /** Whether {@code expression} (none: always) holds for the two events; {@code async} may be null for triggers. */
    static boolean matches(String expression, JsonNode event, JsonNode async) {
        if (expression == null || expression.isBlank()) {
            return true;
        }
        CelRuntime.Program program = program(expression);
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("event", value(event));
        variables.put("async", async == null ? NullValue.NULL_VALUE : value(async));
        try {
            return Boolean.TRUE.equals(program.eval(variables));
        } catch (CelEvaluationException e) {
            return false;
        }
    }

    /** A concurrency key: the expression's value for the event, as text; empty when it cannot be evaluated. */
    static String key(String expression, JsonNode event) {
        CelRuntime.Program program = compiled(expression, false);
        try {
            Object value = program.eval(Map.of("event", value(event), "async", NullValue.NULL_VALUE));
            return value instanceof NullValue ? "" : String.valueOf(value);
        } catch (CelEvaluationException e) {
            return "";
        }
    }

    /** @throws IllegalArgumentException when a key expression does not compile */
    static void checkKey(String expression) {
        compiled(expression, false);
    }

    private static CelRuntime.Program program(String expression) {
        return compiled(expression, true);
    }

    private static CelRuntime.Program compiled(String expression, boolean condition) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("an empty expression");
        }
        String cacheKey = (condition ? "if:" : "key:") + expression;
        CelRuntime.Program cached = PROGRAMS.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        try {
            CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
            if (condition && ast.getResultType() != SimpleType.BOOL && ast.getResultType() != SimpleType.DYN) {
                throw new IllegalArgumentException("expression '" + expression + "' is " + ast.getResultType()
                        .name() + ", not a condition (bool)");
            }
            CelRuntime.Program program = RUNTIME.createProgram(ast);
            PROGRAMS.put(cacheKey, program);
            return program;
        } catch (CelValidationException e) {
            throw new IllegalArgumentException("expression '" + expression + "' is not valid CEL: " + e
                    .getMessage(), e);
        } catch (CelEvaluationException e) {
            throw new IllegalArgumentException("expression '" + expression + "' cannot be planned: " + e
                    .getMessage(), e);
        }
    }

    private static Object value(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return NullValue.NULL_VALUE;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> map.put(e.getKey(), value(e.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(item -> list.add(value(item)));
            return list;
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.asText();
    }
}
