package dev.flowline.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class MappingTest {

    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:15:30Z"), ZoneOffset.UTC);

    @Test
    void theSeedParametersWorkAsWritten() throws Exception {
        Mapping parameters = Mapping.parse(json.readTree("""
                {"notify": true, "booking_id": "$.data.booking_id",
                 "metadata": {"source": "$.data.metadata.source", "processed_at": "NOW()"}}"""), "/parameters");
        JsonNode event = json.readTree("""
                {"type": "booking.created", "data": {"booking_id": "b-1", "metadata": {"source": "airbnb"}}}""");
        JsonNode result = parameters.evaluate(event, FunctionValues.fresh(clock));
        assertThat(result).isEqualTo(json.readTree("""
                {"notify": true, "booking_id": "b-1",
                 "metadata": {"source": "airbnb", "processed_at": "2026-11-27T10:15:30Z"}}"""));
    }

    @Test
    void functionValuesAreComputedOnceAndReplayed() throws Exception {
        Mapping mapping = Mapping.parse(json.readTree("{\"id\": \"UUID()\", \"at\": \"NOW()\"}"), "");
        FunctionValues first = FunctionValues.fresh(clock);
        JsonNode once = mapping.evaluate(json.createObjectNode(), first);
        assertThat(mapping.evaluate(json.createObjectNode(), first)).isEqualTo(once);
        Clock later = Clock.offset(clock, java.time.Duration.ofHours(1));
        JsonNode replayed = mapping.evaluate(json.createObjectNode(), FunctionValues.replaying(first.recorded(),
                later));
        assertThat(replayed).isEqualTo(once);
        assertThat(mapping.evaluate(json.createObjectNode(), FunctionValues.fresh(later)).get("at").asText())
                .isEqualTo("2026-11-27T11:15:30Z");
    }

    @Test
    void absentOptionalValuesStayAbsentAndArraysMapItemByItem() throws Exception {
        Mapping mapping = Mapping.parse(json.readTree("{\"a\": \"$.x\", \"list\": [\"$.y\", 3]}"), "");
        assertThat(mapping.evaluate(json.readTree("{\"y\": 2}"), FunctionValues.fresh(clock)))
                .isEqualTo(json.readTree("{\"list\": [2, 3]}"));
    }

    @Test
    void rejectsUnknownFunctionsAndPathsOutsideTheSubsetWithPointers() throws Exception {
        assertThatThrownBy(() -> Mapping.parse(json.readTree(
                "{\"a\": \"EVAL()\", \"b\": {\"c\": \"$..secret\"}, \"d\": [\"$.x[?@.y]\"]}"), "/with"))
                .isInstanceOfSatisfying(ExpressionException.class, e -> assertThat(e.errors())
                        .extracting(ExpressionError::pointer)
                        .containsExactlyInAnyOrder("/with/a", "/with/b/c", "/with/d/0"));
    }

    @Test
    void listsThePathsItReads() throws Exception {
        Mapping mapping = Mapping.parse(json.readTree("{\"a\": \"$.x\", \"b\": {\"c\": \"$.y[0]\"}, \"d\": 1}"),
                "/with");
        List<String> seen = new ArrayList<>();
        mapping.forEachPath((path, pointer) -> seen.add(path + " " + pointer));
        assertThat(seen).containsExactly("$.x /with/a", "$.y[0] /with/b/c");
    }
}
