package dev.flowline.expression;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * A JSON path in the safe subset of RFC 9535 that Flowline accepts: the root {@code $} followed by name selectors
 * ({@code .name}, {@code ['name']}, {@code ["name"]}) and index selectors ({@code [0]}, {@code [-1]}). Such a path
 * names at most one value, so reading it never runs anything. Filters, wildcards, slices, unions and descendant
 * segments ({@code ..}) are rejected with a message saying which.
 */
public final class JsonPath {

    /** One step of a path: a member name or an array index. */
    public sealed interface Segment permits Name, Index {
    }

    public record Name(String name) implements Segment {
    }

    public record Index(int index) implements Segment {
    }

    private static final JsonPath ROOT = new JsonPath(List.of());

    private final List<Segment> segments;
    /** The same segments as an array: {@link #read} runs per condition and event, without an iterator. */
    private final Segment[] steps;

    private JsonPath(List<Segment> segments) {
        this.segments = Collections.unmodifiableList(segments);
        this.steps = segments.toArray(new Segment[0]);
    }

    public static JsonPath root() {
        return ROOT;
    }

    public static JsonPath of(Segment... segments) {
        return new JsonPath(List.of(segments));
    }

    /** Whether {@code text} is meant as a path (starts with {@code $.}, {@code $[} or is {@code $}). */
    public static boolean looksLikePath(String text) {
        return text.equals("$") || text.startsWith("$.") || text.startsWith("$[");
    }

    /**
     * Parses an absolute path.
     *
     * @throws IllegalArgumentException with a message naming the position and the construct that is not allowed
     */
    public static JsonPath parse(String text) {
        if (text == null || !text.startsWith("$")) {
            throw new IllegalArgumentException("a path starts with '$'");
        }
        List<Segment> segments = new ArrayList<>();
        int i = 1;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '.') {
                if (i + 1 < n && text.charAt(i + 1) == '.') {
                    throw error(text, i, "descendant segments ('..') are not allowed");
                }
                int start = ++i;
                if (i < n && text.charAt(i) == '*') {
                    throw error(text, i, "wildcards ('*') are not allowed");
                }
                while (i < n && isNameChar(text.charAt(i), i == start)) {
                    i++;
                }
                if (i == start) {
                    throw error(text, start, "a member name is expected after '.'");
                }
                segments.add(new Name(text.substring(start, i)));
            } else if (c == '[') {
                i = parseBracket(text, i, segments);
            } else {
                throw error(text, i, "unexpected '" + c + "'; use .name, ['name'] or [index]");
            }
        }
        return new JsonPath(segments);
    }

    /** A path relative to some base, written with dots ({@code metadata.source}, {@code items.0.id}). */
    public static JsonPath parseDotted(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("a path must not be empty");
        }
        List<Segment> segments = new ArrayList<>();
        for (String part : text.split("\\.", -1)) {
            if (part.isEmpty()) {
                throw new IllegalArgumentException("empty segment in '" + text + "'");
            }
            if (part.chars().allMatch(Character::isDigit)) {
                segments.add(new Index(Integer.parseInt(part)));
            } else {
                segments.add(new Name(part));
            }
        }
        return new JsonPath(segments);
    }

    private static int parseBracket(String text, int open, List<Segment> segments) {
        int i = open + 1;
        int n = text.length();
        if (i >= n) {
            throw error(text, open, "unclosed '['");
        }
        char c = text.charAt(i);
        if (c == '\'' || c == '"') {
            StringBuilder name = new StringBuilder();
            i++;
            while (i < n && text.charAt(i) != c) {
                char ch = text.charAt(i);
                if (ch == '\\' && i + 1 < n) {
                    name.append(text.charAt(i + 1));
                    i += 2;
                } else {
                    name.append(ch);
                    i++;
                }
            }
            if (i >= n) {
                throw error(text, open, "unclosed string in '['");
            }
            i++;
            expectClose(text, i, "only one name per selector: unions are not allowed");
            segments.add(new Name(name.toString()));
            return i + 1;
        }
        if (c == '?') {
            throw error(text, i, "filter selectors ('[?...]') are not allowed");
        }
        if (c == '*') {
            throw error(text, i, "wildcards ('[*]') are not allowed");
        }
        int start = i;
        if (c == '-') {
            i++;
        }
        while (i < n && Character.isDigit(text.charAt(i))) {
            i++;
        }
        if (i == start || (c == '-' && i == start + 1)) {
            if (i < n && text.charAt(i) == ':') {
                throw error(text, i, "slices ('[a:b]') are not allowed");
            }
            throw error(text, start, "a quoted name or an integer index is expected in '['");
        }
        if (i < n && text.charAt(i) == ':') {
            throw error(text, i, "slices ('[a:b]') are not allowed");
        }
        expectClose(text, i, "only one index per selector: unions are not allowed");
        String digits = text.substring(start, i);
        if (digits.length() > 1 && (digits.startsWith("0") || digits.startsWith("-0"))) {
            throw error(text, start, "indexes have no leading zeros");
        }
        segments.add(new Index(Integer.parseInt(digits)));
        return i + 1;
    }

    private static void expectClose(String text, int i, String unionMessage) {
        if (i >= text.length()) {
            throw error(text, i, "unclosed '['");
        }
        if (text.charAt(i) == ',') {
            throw error(text, i, unionMessage);
        }
        if (text.charAt(i) != ']') {
            throw error(text, i, "']' expected");
        }
    }

    private static boolean isNameChar(char c, boolean first) {
        if (c == '_' || Character.isLetter(c) || c >= 0x80) {
            return true;
        }
        return !first && (Character.isDigit(c) || c == '-');
    }

    private static IllegalArgumentException error(String text, int position, String message) {
        return new IllegalArgumentException(message + " (at position " + position + " of '" + text + "')");
    }

    public List<Segment> segments() {
        return segments;
    }

    public boolean isRoot() {
        return segments.isEmpty();
    }

    /** This path followed by {@code other}. */
    public JsonPath resolve(JsonPath other) {
        List<Segment> joined = new ArrayList<>(segments);
        joined.addAll(other.segments);
        return new JsonPath(joined);
    }

    public boolean startsWith(JsonPath prefix) {
        return segments.size() >= prefix.segments.size()
                && segments.subList(0, prefix.segments.size()).equals(prefix.segments);
    }

    /** The rest of this path after {@code prefix}. */
    public JsonPath relativize(JsonPath prefix) {
        if (!startsWith(prefix)) {
            throw new IllegalArgumentException(this + " does not start with " + prefix);
        }
        return new JsonPath(new ArrayList<>(segments.subList(prefix.segments.size(), segments.size())));
    }

    /** The value this path names in {@code document}, or a missing node. */
    public JsonNode read(JsonNode document) {
        JsonNode current = document;
        for (Segment segment : steps) {
            if (current == null || current.isMissingNode()) {
                return MissingNode.getInstance();
            }
            if (segment instanceof Name name) {
                current = current.isObject() ? current.get(name.name()) : null;
            } else {
                int index = ((Index) segment).index();
                if (!current.isArray()) {
                    current = null;
                } else {
                    int at = index < 0 ? current.size() + index : index;
                    current = at >= 0 && at < current.size() ? current.get(at) : null;
                }
            }
        }
        return current == null ? MissingNode.getInstance() : current;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonPath other && segments.equals(other.segments);
    }

    @Override
    public int hashCode() {
        return segments.hashCode();
    }

    /** The normalized form: {@code $.name} where the name allows it, else {@code $['name']}; {@code [i]}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("$");
        for (Segment segment : segments) {
            if (segment instanceof Name name) {
                String s = name.name();
                boolean plain = !s.isEmpty() && isNameChar(s.charAt(0), true)
                        && s.chars().allMatch(ch -> isNameChar((char) ch, false));
                if (plain) {
                    out.append('.').append(s);
                } else {
                    out.append("['").append(s.replace("\\", "\\\\").replace("'", "\\'")).append("']");
                }
            } else {
                out.append('[').append(((Index) segment).index()).append(']');
            }
        }
        return out.toString();
    }
}
