package dev.flowline.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The shared corpus of the condition language ({@code condition-corpus.json}): the Java implementation answers every
 * case as written. The renderer's JavaScript port runs the same file in a real browser (ui-config-service's
 * {@code browser} profile), so the two cannot drift apart.
 */
class ConditionCorpusTest {

    static JsonNode corpus() throws Exception {
        try (InputStream in = ConditionCorpusTest.class.getResourceAsStream("condition-corpus.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void everyCaseOfTheSharedCorpusMatchesAsWritten() throws Exception {
        JsonNode corpus = corpus();
        assertThat(corpus.path("cases").size()).isGreaterThan(40);
        for (JsonNode c : corpus.path("cases")) {
            JsonNode document = corpus.path("documents").path(c.path("document").asText());
            boolean matched = Condition.parse(c.get("condition"), "").evaluate(document, JsonPath.root()).matched();
            assertThat(matched).as(c.path("name").asText()).isEqualTo(c.path("matches").asBoolean());
        }
    }

    @Test
    void everyInvalidConditionOfTheSharedCorpusIsRefused() throws Exception {
        for (JsonNode c : corpus().path("invalid")) {
            assertThatThrownBy(() -> Condition.parse(c.get("condition"), "")).as(c.path("name").asText())
                    .isInstanceOf(ExpressionException.class);
        }
    }
}
