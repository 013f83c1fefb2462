package dev.flowline.expression;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Many conditions over one kind of document, indexed so that a document is evaluated only against the conditions
 * that can match it. The path most conditions test for equality at their top level (say {@code rental_id}) is
 * indexed by value; a document then needs only the conditions filed under its value there, plus those that do not
 * test that path. Answers the same conditions as evaluating all of them, in the order they were added.
 *
 * @param <T> what a condition belongs to (a trigger)
 */
public final class ConditionIndex<T> {

    private record Entry<T>(int order, T owner, Condition condition) {
    }

    private final JsonPath base;
    private final JsonPath indexedPath;
    private final Map<String, List<Entry<T>>> byValue = new HashMap<>();
    private final Map<String, Bucket<T>> buckets = new HashMap<>();
    private final List<Entry<T>> residual = new ArrayList<>();
    private final int size;

    /**
     * @param conditions owner to condition, in evaluation order
     * @param base what relative keys are relative to (an event's {@code $.data})
     */
    public ConditionIndex(Map<T, Condition> conditions, JsonPath base) {
        this.base = base;
        this.size = conditions.size();
        this.indexedPath = mostTestedForEquality(conditions.values());
        int order = 0;
        for (Map.Entry<T, Condition> entry : conditions.entrySet()) {
            Entry<T> e = new Entry<>(order++, entry.getKey(), entry.getValue());
            List<String> keys = indexedPath == null ? null : equalityKeys(entry.getValue());
            if (keys == null) {
                residual.add(e);
            } else {
                keys.forEach(k -> byValue.computeIfAbsent(k, x -> new ArrayList<>()).add(e));
            }
        }
        byValue.forEach((k, entries) -> buckets.put(k, new Bucket<>(entries, base)));
    }

    /** The path chosen for the index, or null when no path is worth indexing. */
    public JsonPath indexedPath() {
        return indexedPath;
    }

    public int size() {
        return size;
    }

    /** The owners whose conditions may match {@code document}, in the order they were added. */
    public List<T> candidates(JsonNode document) {
        if (indexedPath == null) {
            return residual.stream().map(Entry::owner).toList();
        }
        JsonNode actual = indexedPath.read(document);
        List<Entry<T>> hits = new ArrayList<>();
        if (actual.isArray()) {
            Map<Entry<T>, Boolean> seen = new IdentityHashMap<>();
            for (JsonNode element : actual) {
                for (Entry<T> e : byValue.getOrDefault(key(element), List.of())) {
                    if (seen.put(e, Boolean.TRUE) == null) {
                        hits.add(e);
                    }
                }
            }
        } else if (!actual.isMissingNode()) {
            Bucket<T> bucket = buckets.get(key(actual));
            if (bucket != null) {
                hits.addAll(bucket.candidates(document));
            }
            if (residual.isEmpty()) {
                // The common case: every condition names its value, and a bucket answers in order.
                return hits.stream().map(Entry::owner).toList();
            }
        }
        if (hits.isEmpty()) {
            return residual.stream().map(Entry::owner).toList();
        }
        List<Entry<T>> merged = new ArrayList<>(residual.size() + hits.size());
        merged.addAll(residual);
        merged.addAll(hits);
        merged.sort((a, b) -> Integer.compare(a.order(), b.order()));
        return merged.stream().map(Entry::owner).toList();
    }

    /**
     * The conditions filed under one value, with a second, numeric index: when several of them test one path for a
     * lower bound ({@code gt}/{@code gte} a number, say an amount threshold), they are sorted by that bound, and a
     * document only needs those whose bound its value passes. Answers in the order the conditions were added.
     */
    private static final class Bucket<T> {

        private record Bound<T>(BigDecimal threshold, boolean inclusive, Entry<T> entry) {
        }

        private final List<Entry<T>> all;
        private final JsonPath rangePath;
        private final List<Bound<T>> bounds = new ArrayList<>();
        private final List<Entry<T>> others = new ArrayList<>();

        Bucket(List<Entry<T>> entries, JsonPath base) {
            this.all = List.copyOf(entries);
            Map<JsonPath, Integer> counts = new LinkedHashMap<>();
            for (Entry<T> e : entries) {
                for (Condition.Test test : topLevelTests(e.condition())) {
                    if (lowerBound(test)) {
                        counts.merge(absolute(test, base), 1, Integer::sum);
                    }
                }
            }
            // Sorting pays only when it can skip several conditions.
            this.rangePath = counts.entrySet().stream().filter(c -> c.getValue() >= 4)
                    .max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
            if (rangePath == null) {
                return;
            }
            for (Entry<T> e : entries) {
                Condition.Test bound = topLevelTests(e.condition()).stream()
                        .filter(t -> lowerBound(t) && absolute(t, base).equals(rangePath)).findFirst().orElse(null);
                if (bound == null) {
                    others.add(e);
                } else {
                    bounds.add(new Bound<>(Numbers.decimal(bound.operand()), bound.operator() == Condition.Operator.GTE,
                            e));
                }
            }
            bounds.sort((a, b) -> a.threshold().compareTo(b.threshold()));
        }

        private static boolean lowerBound(Condition.Test test) {
            return (test.operator() == Condition.Operator.GT || test.operator() == Condition.Operator.GTE)
                    && test.operand().isNumber();
        }

        List<Entry<T>> candidates(JsonNode document) {
            if (rangePath == null) {
                return all;
            }
            JsonNode value = rangePath.read(document);
            if (value.isArray()) {
                // Any element may pass: no pruning.
                return all;
            }
            List<Entry<T>> out = new ArrayList<>(others);
            if (value.isNumber()) {
                // A number out of bounds passes no bound (Condition compares it with nothing).
                BigDecimal v = Numbers.decimal(value);
                for (Bound<T> bound : v == null ? List.<Bound<T>>of() : bounds) {
                    int c = bound.threshold().compareTo(v);
                    if (c > 0 || c == 0 && !bound.inclusive()) {
                        break;
                    }
                    out.add(bound.entry());
                }
                // A missing or non-numeric value passes no numeric lower bound.
            }
            out.sort((a, b) -> Integer.compare(a.order(), b.order()));
            return out;
        }
    }

    private static JsonPath absolute(Condition.Test test, JsonPath base) {
        return test.absolute() ? test.path() : base.resolve(test.path());
    }

    /** The top-level equality tests of a condition (an AND of fields): they must hold for it to match. */
    private static List<Condition.Test> topLevelTests(Condition condition) {
        Condition.Node root = condition.root();
        if (root instanceof Condition.Test test) {
            return List.of(test);
        }
        if (root instanceof Condition.All all) {
            return all.nodes().stream().filter(n -> n instanceof Condition.Test).map(n -> (Condition.Test) n)
                    .toList();
        }
        return List.of();
    }

    private JsonPath absolute(Condition.Test test) {
        return test.absolute() ? test.path() : base.resolve(test.path());
    }

    private JsonPath mostTestedForEquality(java.util.Collection<Condition> conditions) {
        Map<JsonPath, Integer> counts = new LinkedHashMap<>();
        for (Condition condition : conditions) {
            for (Condition.Test test : topLevelTests(condition)) {
                if (test.operator() == Condition.Operator.EQ || test.operator() == Condition.Operator.IN) {
                    counts.merge(absolute(test), 1, Integer::sum);
                }
            }
        }
        // Indexing pays when it splits the set; a path tested by few conditions is not worth it.
        return counts.entrySet().stream().filter(e -> e.getValue() >= 2)
                .max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
    }

    /** The index keys a condition is filed under, or null when it does not test the indexed path for equality. */
    private List<String> equalityKeys(Condition condition) {
        for (Condition.Test test : topLevelTests(condition)) {
            if (!absolute(test).equals(indexedPath)) {
                continue;
            }
            if (test.operator() == Condition.Operator.EQ) {
                return List.of(key(test.operand()));
            }
            if (test.operator() == Condition.Operator.IN) {
                List<String> keys = new ArrayList<>();
                test.operand().forEach(v -> keys.add(key(v)));
                return keys;
            }
        }
        return null;
    }

    /** Equal values (as {@link Condition} compares them) have equal keys: 1000 and 1000.0 alike. */
    static String key(JsonNode value) {
        if (value.isNumber()) {
            BigDecimal decimal = Numbers.decimal(value);
            // Out of bounds: keyed by its text, never rendered in full.
            return decimal == null ? "n!:" + value.asText() : "n:" + decimal.stripTrailingZeros().toPlainString();
        }
        if (value.isTextual()) {
            return "s:" + value.asText();
        }
        return value.getNodeType().name() + ":" + value;
    }

}
