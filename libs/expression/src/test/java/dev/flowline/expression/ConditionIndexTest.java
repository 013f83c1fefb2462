package dev.flowline.expression;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class ConditionIndexTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonPath DATA = JsonPath.parse("$.data");

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void answersExactlyWhatEvaluatingEveryConditionAnswers() {
        Random random = new Random(42);
        Map<Integer, Condition> conditions = new LinkedHashMap<>();
        for (int i = 0; i < 400; i++) {
            String condition = switch (i % 5) {
                case 0 -> "{\"rental_id\": \"r-" + random.nextInt(50) + "\", \"amount\": {\"gt\": " + random.nextInt(
                        2000) + "}}";
                case 1 -> "{\"rental_id\": [\"r-" + random.nextInt(50) + "\", \"r-" + random.nextInt(50)
                        + "\"], \"status\": \"confirmed\"}";
                case 2 -> "{\"source\": {\"prefix\": \"chan\"}, \"amount\": {\"lte\": " + random.nextInt(2000) + "}}";
                case 3 -> "{\"$or\": [{\"rental_id\": \"r-1\"}, {\"status\": \"pending\"}]}";
                default ->
                    "{\"rental_id\": \"r-" + random.nextInt(50) + "\", \"metadata.channel\": {\"exists\": true}}";
            };
            conditions.put(i, Condition.parse(json(condition), ""));
        }
        ConditionIndex<Integer> index = new ConditionIndex<>(conditions, DATA);
        assertThat(index.indexedPath()).isEqualTo(JsonPath.parse("$.data.rental_id"));
        for (int e = 0; e < 300; e++) {
            JsonNode event = json("{\"data\": {\"rental_id\": " + (e % 7 == 0
                    ? "[\"r-3\", \"r-4\"]"
                    : "\"r-" + random.nextInt(60) + "\"") + ", \"amount\": " + random.nextInt(2000)
                    + ", \"status\": \"" + (e % 2 == 0 ? "confirmed" : "pending") + "\", \"source\": \"channel\""
                    + (e % 3 == 0 ? ", \"metadata\": {\"channel\": \"airbnb\"}" : "") + "}}");
            List<Integer> expected = new ArrayList<>();
            conditions.forEach((id, c) -> {
                if (c.evaluate(event, DATA).matched()) {
                    expected.add(id);
                }
            });
            List<Integer> viaIndex = index.candidates(event).stream()
                    .filter(id -> conditions.get(id).evaluate(event, DATA).matched()).toList();
            assertThat(viaIndex).isEqualTo(expected);
            assertThat(index.candidates(event).size()).isLessThan(conditions.size());
        }
    }

    @Test
    void lowerBoundsInABucketAreSortedAndStillAnswerExactly() {
        Random random = new Random(7);
        Map<Integer, Condition> conditions = new LinkedHashMap<>();
        for (int i = 0; i < 300; i++) {
            String bound = random.nextBoolean() ? "gt" : "gte";
            String condition = i % 10 == 9
                    ? "{\"rental_id\": \"r-" + (i % 3) + "\", \"amount\": {\"lt\": " + random.nextInt(100) + "}}"
                    : "{\"rental_id\": \"r-" + (i % 3) + "\", \"amount\": {\"" + bound + "\": " + random.nextInt(100)
                            + (random.nextBoolean() ? ".5" : "") + "}, \"status\": [\"confirmed\", \"pending\"]}";
            conditions.put(i, Condition.parse(json(condition), ""));
        }
        ConditionIndex<Integer> index = new ConditionIndex<>(conditions, DATA);
        String[] amounts = {"0", "17", "17.5", "50", "99.99", "100", "\"50\"", "[10, 90]", null};
        for (int e = 0; e < 300; e++) {
            String amount = amounts[random.nextInt(amounts.length)];
            if (e % 4 == 0 && amount != null && !amount.startsWith("\"") && !amount.startsWith("[")) {
                // Exactly on some thresholds, where gt and gte differ.
                amount = Integer.toString(random.nextInt(100));
            }
            JsonNode event = json("{\"data\": {\"rental_id\": \"r-" + random.nextInt(3) + "\", \"status\": "
                    + "\"confirmed\"" + (amount == null ? "" : ", \"amount\": " + amount) + "}}");
            List<Integer> expected = new ArrayList<>();
            conditions.forEach((id, c) -> {
                if (c.evaluate(event, DATA).matched()) {
                    expected.add(id);
                }
            });
            List<Integer> candidates = index.candidates(event);
            assertThat(candidates.stream().filter(id -> conditions.get(id).evaluate(event, DATA).matched()).toList())
                    .as(event.toString()).isEqualTo(expected);
            if (amount != null && amount.equals("0")) {
                // Only the lt conditions of the rental can match 0; the sorted bounds skip the rest.
                assertThat(candidates.size()).isLessThanOrEqualTo(10);
            }
        }
    }

    @Test
    void numbersAreKeyedAsDecimals() {
        Map<String, Condition> conditions = new LinkedHashMap<>();
        conditions.put("a", Condition.parse(json("{\"n\": 1000}"), ""));
        conditions.put("b", Condition.parse(json("{\"n\": 7}"), ""));
        ConditionIndex<String> index = new ConditionIndex<>(conditions, DATA);
        assertThat(index.candidates(json("{\"data\": {\"n\": 1000.0}}"))).containsExactly("a");
    }

    @Test
    void aNumberWithAHugeExponentMatchesNothingNumericAndIsNeverWrittenOut() {
        Map<Integer, Condition> conditions = new LinkedHashMap<>();
        for (int i = 0; i < 8; i++) {
            conditions.put(i, Condition.parse(json("{\"amount\": " + (i % 2 == 0 ? i : "{\"gte\": " + i + "}")
                    + "}"), ""));
        }
        conditions.put(8, Condition.parse(json("{\"amount\": {\"exists\": true}}"), ""));
        ConditionIndex<Integer> index = new ConditionIndex<>(conditions, DATA);
        // Read as a double (Infinity) and as a decimal with an exponent of a billion: neither throws nor is expanded.
        ObjectMapper decimals = new ObjectMapper().enable(
                com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        for (JsonNode event : List.of(json("{\"data\": {\"amount\": 1e999999999}}"),
                readWith(decimals, "{\"data\": {\"amount\": 1e999999999}}"),
                readWith(decimals, "{\"data\": {\"amount\": -1e-999999999}}"))) {
            List<Integer> matched = index.candidates(event).stream().filter(id -> conditions.get(id).evaluate(event,
                    DATA).matched()).toList();
            assertThat(matched).as("only the exists test, for %s", event).containsExactly(8);
        }
        JsonNode big = readWith(decimals, "{\"data\": {\"amount\": 1e999999999}}");
        assertThat(Condition.parse(readWith(decimals, "{\"amount\": 1e999999999}"), "").evaluate(big, DATA)
                .matched()).as("the same text is the same number").isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Condition.parse(json(
                "{\"amount\": {\"gt\": 1e999999999}}"), "")).isInstanceOf(ExpressionException.class)
                .hasMessageContaining("exponent");
    }

    private static JsonNode readWith(ObjectMapper mapper, String text) {
        try {
            return mapper.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
