package dev.flowline.devexecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class ExpressionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode read(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void expressionsAreCelOverTheTriggerAndTheIncomingEvent() throws Exception {
        JsonNode trigger = read("{\"name\": \"payout/due\", \"data\": {\"ref\": \"p1\", \"amount\": 1500, "
                + "\"tags\": [\"uk\", \"vip\"]}}");
        JsonNode approval = read("{\"name\": \"payout/approved\", \"data\": {\"ref\": \"p1\", \"by\": \"ops\"}}");
        assertThat(Expressions.matches("async.data.ref == event.data.ref", trigger, approval)).isTrue();
        assertThat(Expressions.matches("event.data.amount > 1000 && 'vip' in event.data.tags", trigger, null))
                .isTrue();
        assertThat(Expressions.matches("event.data.amount >= 1500.5 || event.data.ref.startsWith('q')", trigger,
                null)).isFalse();
        assertThat(Expressions.matches("has(async.data.by) && async.data.by != 'intruder'", trigger, approval))
                .isTrue();
        assertThat(Expressions.matches(null, trigger, approval)).isTrue();
        Expressions.check(null);
        Expressions.check(" ");
    }

    @Test
    void aFieldAnEventLacksDoesNotMatchRatherThanFail() throws Exception {
        assertThat(Expressions.matches("event.data.missing == 'x'", read("{\"data\": {}}"), null)).isFalse();
    }

    @Test
    void aMalformedOrNonBooleanExpressionIsRefusedWithTheCompilersMessage() {
        assertThatThrownBy(() -> Expressions.check("event.data.amount >")).isInstanceOf(
                IllegalArgumentException.class).hasMessageContaining("not valid CEL");
        assertThatThrownBy(() -> Expressions.check("1 + 2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a condition");
    }
}
