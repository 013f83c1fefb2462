package dev.flowline.devexecutor;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * The part of CEL that waits for events use here: comparisons ({@code ==}, {@code !=}) of paths into {@code event}
 * (the run's trigger) and {@code async} (the candidate event) and literals (strings, numbers, booleans, null), joined
 * by {@code &&}. Anything else is refused when the wait is created, so an unsupported expression fails loudly instead
 * of never matching.
 */
public final class WaitExpressions {

    private WaitExpressions() {
    }

    /** @throws IllegalArgumentException for an expression outside the supported forms */
    public static void check(String expression) {
        if (expression != null && !expression.isBlank()) {
            for (String clause : clauses(expression)) {
                comparison(clause);
            }
        }
    }

    public static boolean matches(String expression, JsonNode event, JsonNode async) {
        if (expression == null || expression.isBlank()) {
            return true;
        }
        for (String clause : clauses(expression)) {
            String[] parts = comparison(clause);
            JsonNode left = value(parts[0], event, async);
            JsonNode right = value(parts[2], event, async);
            boolean equal = same(left, right);
            if (parts[1].equals("==") != equal) {
                return false;
            }
        }
        return true;
    }

    private static List<String> clauses(String expression) {
        List<String> clauses = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (quote != 0) {
                current.append(c);
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                current.append(c);
            } else if (c == '&' && i + 1 < expression.length() && expression.charAt(i + 1) == '&') {
                clauses.add(current.toString().trim());
                current.setLength(0);
                i++;
            } else {
                current.append(c);
            }
        }
        clauses.add(current.toString().trim());
        return clauses;
    }

    private static String[] comparison(String clause) {
        int at = indexOutsideQuotes(clause, "==");
        String op = "==";
        if (at < 0) {
            at = indexOutsideQuotes(clause, "!=");
            op = "!=";
        }
        if (at < 0) {
            throw new IllegalArgumentException("unsupported wait expression (only ==, != and &&): " + clause);
        }
        String left = clause.substring(0, at).trim();
        String right = clause.substring(at + 2).trim();
        operand(left);
        operand(right);
        return new String[]{left, op, right};
    }

    private static int indexOutsideQuotes(String text, String token) {
        char quote = 0;
        for (int i = 0; i + token.length() <= text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (text.startsWith(token, i)) {
                return i;
            }
        }
        return -1;
    }

    private static void operand(String text) {
        if (text.startsWith("event.") || text.startsWith("async.") || isLiteral(text)) {
            return;
        }
        throw new IllegalArgumentException("unsupported operand in a wait expression: " + text);
    }

    private static boolean isLiteral(String text) {
        return text.length() >= 2 && (text.startsWith("'") && text.endsWith("'")
                || text.startsWith("\"") && text.endsWith("\"")) || text.equals("true") || text.equals("false")
                || text.equals("null") || text.matches("-?\\d+(\\.\\d+)?");
    }

    private static JsonNode value(String text, JsonNode event, JsonNode async) {
        if (text.startsWith("event.") || text.startsWith("async.")) {
            JsonNode node = text.startsWith("event.") ? event : async;
            for (String name : text.substring(6).split("\\.")) {
                node = node == null ? MissingNode.getInstance() : node.path(name);
            }
            return node;
        }
        if (text.startsWith("'") || text.startsWith("\"")) {
            return TextNode.valueOf(text.substring(1, text.length() - 1));
        }
        return switch (text) {
            case "true" -> BooleanNode.TRUE;
            case "false" -> BooleanNode.FALSE;
            case "null" -> NullNode.getInstance();
            default -> DecimalNode.valueOf(new java.math.BigDecimal(text));
        };
    }

    private static boolean same(JsonNode a, JsonNode b) {
        if (a.isMissingNode() || b.isMissingNode()) {
            return false;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }
}
