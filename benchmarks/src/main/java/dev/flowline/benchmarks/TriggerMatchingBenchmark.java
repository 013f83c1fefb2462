package dev.flowline.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.BenchmarkParams;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.flowline.expression.Condition;
import dev.flowline.expression.ConditionIndex;
import dev.flowline.expression.JsonPath;

import software.amazon.event.ruler.Machine;

/**
 * Trigger matching on one event type with 100 to 10,000 active triggers mixing equality (500 rentals), lists,
 * numeric thresholds (all distinct), prefixes and exists, against AWS event-ruler on the equivalent patterns. Both
 * sides parse the event's JSON text, as they would on intake. The event-ruler set-up checks that both match the same
 * triggers (on 200 events, 10 at 10,000 triggers).
 */
@State(Scope.Benchmark)
public class TriggerMatchingBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final JsonPath DATA = JsonPath.parse("$.data");
    private static final int EVENTS = 1024;

    @Param({"100", "1000", "10000"})
    public int triggers;

    private ConditionIndex<Integer> index;
    private Map<Integer, Condition> conditions;
    private Machine machine;
    private String[] events;
    private int next;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws Exception {
        // event-ruler is only built for its own benchmark: with 10,000 numeric rules it is slow to query, and the
        // cross-check below would dominate the others' set-up.
        boolean ruler = params.getBenchmark().endsWith("eventRuler");
        // event-ruler's set-up grows much faster than linearly with numeric rules: bounded, it fails its own
        // benchmark with "did not finish in N s" (JMH reports that and goes on with the rest) instead of hanging.
        long budget = Long.getLong("flowline.bench.ruler-budget-s", 60);
        long deadline = System.nanoTime() + budget * 1_000_000_000L;
        Random random = new Random(7);
        conditions = new LinkedHashMap<>();
        machine = new Machine();
        for (int i = 0; i < triggers; i++) {
            String rental = "r-" + (i % 500);
            boolean both = random.nextBoolean();
            int threshold = 1 + random.nextInt(5000);
            String prefix = random.nextInt(4) == 0 ? "api" : "chan";
            boolean needsChannel = i % 3 == 0;
            String statuses = both ? "[\"confirmed\", \"pending\"]" : "[\"confirmed\"]";
            conditions.put(i, Condition.parse(JSON.readTree("{\"rental_id\": \"" + rental + "\", \"status\": "
                    + statuses + ", \"amount\": {\"gt\": " + threshold + "}, \"source\": {\"prefix\": \"" + prefix
                    + "\"}" + (needsChannel ? ", \"metadata.channel\": {\"exists\": true}" : "") + "}"), ""));
            if (ruler) {
                machine.addRule(Integer.toString(i), "{\"data\": {\"rental_id\": [\"" + rental + "\"], \"status\": "
                        + statuses + ", \"amount\": [{\"numeric\": [\">\", " + threshold
                        + "]}], \"source\": [{\"prefix\": \""
                        + prefix + "\"}]" + (needsChannel ? ", \"metadata\": {\"channel\": [{\"exists\": true}]}" : "")
                        + "}}");
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("event-ruler did not finish in " + budget + " s: " + (i + 1)
                            + " of " + triggers + " rules added (-Dflowline.bench.ruler-budget-s to change)");
                }
            }
        }
        index = new ConditionIndex<>(conditions, DATA);
        events = new String[EVENTS];
        for (int e = 0; e < EVENTS; e++) {
            events[e] = event(random, e);
        }
        for (int e = 0; ruler && e < (triggers > 1000 ? 10 : 200); e++) {
            Set<String> ours = new TreeSet<>();
            for (Integer id : matchFlowline(events[e])) {
                ours.add(id.toString());
            }
            Set<String> theirs = new TreeSet<>(machine.rulesForJSONEvent(events[e]));
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("event-ruler did not finish in " + budget + " s: " + (e + 1)
                        + " cross-check queries done with " + triggers + " rules (-Dflowline.bench.ruler-budget-s)");
            }
            if (!ours.equals(theirs)) {
                throw new IllegalStateException("the two matchers disagree on " + events[e] + ": " + ours + " vs "
                        + theirs);
            }
        }
    }

    /** About 1 KB, like a booking event with metadata and line items. */
    static String event(Random random, int e) {
        StringBuilder lines = new StringBuilder();
        for (int l = 0; l < 6; l++) {
            lines.append(l == 0 ? "" : ",").append("{\"sku\": \"night-").append(l).append("\", \"price\": ")
                    .append(80 + random.nextInt(200))
                    .append(".50, \"currency\": \"EUR\", \"note\": \"standard rate\"}");
        }
        return "{\"id\": \"evt-" + e + "\", \"type\": \"booking.created\", \"source\": \"/channel-manager\", \"data\": "
                + "{\"booking_id\": \"b-" + e + "\", \"rental_id\": \"r-" + random.nextInt(600) + "\", \"status\": \""
                + (random.nextBoolean() ? "confirmed" : "pending") + "\", \"amount\": " + random.nextInt(6000)
                + ".25, \"source\": \"" + (random.nextBoolean() ? "channel_manager" : "api_gateway") + "\", "
                + (random.nextBoolean()
                        ? "\"metadata\": {\"channel\": \"airbnb\", \"timestamp\": "
                                + "\"2024-03-20T10:00:00Z\"}, "
                        : "")
                + "\"guest\": {\"name\": \"Guest " + e + "\", \"email\": \"guest" + e + "@example.com\"}, "
                + "\"lines\": [" + lines + "]}}";
    }

    private List<Integer> matchFlowline(String text) throws Exception {
        JsonNode event = JSON.readTree(text);
        List<Integer> matched = new ArrayList<>();
        for (Integer id : index.candidates(event)) {
            if (conditions.get(id).evaluate(event, DATA).matched()) {
                matched.add(id);
            }
        }
        return matched;
    }

    @Benchmark
    public int flowline() throws Exception {
        return matchFlowline(events[next++ & (EVENTS - 1)]).size();
    }

    @Benchmark
    public int eventRuler() throws Exception {
        return machine.rulesForJSONEvent(events[next++ & (EVENTS - 1)]).size();
    }

    /** Flowline evaluating every trigger, without the index: what the index saves. */
    @Benchmark
    public int flowlineWithoutIndex() throws Exception {
        JsonNode event = JSON.readTree(events[next++ & (EVENTS - 1)]);
        int matched = 0;
        for (Condition condition : conditions.values()) {
            if (condition.evaluate(event, DATA).matched()) {
                matched++;
            }
        }
        return matched;
    }
}
