package dev.flowline.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class ConditionTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final JsonPath DATA = JsonPath.parse("$.data");
    private static final String SEED = """
            {"status": ["confirmed","pending"], "amount": {"gt": 1000}, "source": "channel_manager"}""";

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static JsonNode event(String data) {
        return json("{\"type\":\"booking.created\",\"source\":\"crm\",\"data\":" + data + "}");
    }

    @Test
    void theSeedExampleWorksAsWritten() {
        Condition seed = Condition.parse(json(SEED), "/conditions");
        assertThat(seed.evaluate(event("{\"status\":\"pending\",\"amount\":1500.50,\"source\":\"channel_manager\"}"),
                DATA).matched()).isTrue();
        Condition.Outcome low = seed.evaluate(event(
                "{\"status\":\"confirmed\",\"amount\":1000,\"source\":\"channel_manager\"}"), DATA);
        assertThat(low.matched()).isFalse();
        assertThat(low.failure().path()).isEqualTo("$.data.amount");
        assertThat(low.failure().operator()).isEqualTo("gt");
        assertThat(low.failure().actual().asInt()).isEqualTo(1000);
        Condition.Outcome status = seed.evaluate(event(
                "{\"status\":\"cancelled\",\"amount\":5000,\"source\":\"channel_manager\"}"), DATA);
        assertThat(status.failure().path()).isEqualTo("$.data.status");
        assertThat(status.failure().operator()).isEqualTo("in");
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "{\"a\": 1}                                 | {\"a\": 1.0}                    | true",
            "{\"a\": {\"ne\": 1}}                       | {\"a\": 2}                      | true",
            "{\"a\": {\"ne\": 1}}                       | {}                              | false",
            "{\"a\": {\"in\": [1, 2]}}                  | {\"a\": 2}                      | true",
            "{\"a\": {\"nin\": [1, 2]}}                 | {\"a\": 2}                      | false",
            "{\"a\": {\"nin\": [1, 2]}}                 | {\"a\": 3}                      | true",
            "{\"a\": {\"gte\": 10, \"lt\": 20}}         | {\"a\": 10}                     | true",
            "{\"a\": {\"gte\": 10, \"lt\": 20}}         | {\"a\": 20}                     | false",
            "{\"a\": {\"lte\": 0.3}}                    | {\"a\": 0.30000000000000001}    | false",
            "{\"a\": {\"gt\": 99999999999999999.01}}    | {\"a\": 99999999999999999.02}   | true",
            "{\"a\": {\"gt\": \"2024-01-01\"}}          | {\"a\": \"2024-03-20T10:00Z\"}  | true",
            "{\"a\": {\"gt\": 5}}                       | {\"a\": \"6\"}                  | false",
            "{\"a\": {\"exists\": true}}                | {\"a\": null}                   | true",
            "{\"a\": {\"exists\": false}}               | {\"b\": 1}                      | true",
            "{\"a\": {\"prefix\": \"book\"}}            | {\"a\": \"booking\"}            | true",
            "{\"a\": {\"suffix\": \"ing\"}}             | {\"a\": \"booked\"}             | false",
            "{\"a\": {\"anything-but\": [\"x\",\"y\"]}} | {\"a\": \"z\"}                  | true",
            "{\"a\": {\"anything-but\": \"x\"}}         | {\"a\": \"x\"}                  | false",
            "{\"tags\": \"vip\"}                        | {\"tags\": [\"new\", \"vip\"]}  | true",
            "{\"tags\": {\"ne\": \"vip\"}}              | {\"tags\": [\"new\", \"vip\"]}  | false",
            "{\"m.source\": \"cm\"}                     | {\"m\": {\"source\": \"cm\"}}   | true",
            "{\"items.1.id\": 7}                        | {\"items\": [{\"id\":1},{\"id\":7}]} | true",
            "{\"$.source\": \"crm\"}                    | {}                              | true",
            "{\"$or\": [{\"a\": 1}, {\"b\": 2}]}        | {\"b\": 2}                      | true",
            "{\"$and\": [{\"a\": 1}, {\"b\": 2}]}       | {\"b\": 2}                      | false",
            "{\"$not\": {\"a\": 1}}                     | {\"a\": 2}                      | true"})
    void operators(String condition, String data, boolean expected) {
        assertThat(Condition.parse(json(condition), "").evaluate(event(data), DATA).matched()).isEqualTo(expected);
    }

    @Test
    void invalidConditionsAreRejectedWithPointers() {
        assertThatThrownBy(() -> Condition.parse(json(
                "{\"a\": {\"between\": [1,2]}, \"b\": {\"gt\": true}, \"$or\": [], \"c\": {\"in\": 3}, "
                        + "\"$..x\": 1, \"d\": [[1]]}"),
                "/conditions"))
                .isInstanceOfSatisfying(ExpressionException.class, e -> assertThat(e.errors())
                        .extracting(ExpressionError::pointer)
                        .containsExactlyInAnyOrder("/conditions/a/between", "/conditions/b/gt", "/conditions/$or",
                                "/conditions/c/in", "/conditions/$..x", "/conditions/d/0"));
    }

    @Test
    void listsItsTestsForSaveTimeChecks() {
        Condition seed = Condition.parse(json(SEED), "/conditions");
        assertThat(seed.tests()).extracting(t -> t.path().toString() + " " + t.operator().word() + " " + t.pointer())
                .containsExactly("$.status in /conditions/status", "$.amount gt /conditions/amount/gt",
                        "$.source eq /conditions/source");
    }
}
