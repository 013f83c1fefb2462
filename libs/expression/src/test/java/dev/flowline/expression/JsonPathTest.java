package dev.flowline.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class JsonPathTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void parsesNameAndIndexSelectorsAndReadsOneValue() throws Exception {
        JsonNode doc = json.readTree("{\"data\":{\"booking_ids\":[\"123\",\"456\"],\"odd key\":{\"x\":1}}}");
        assertThat(JsonPath.parse("$.data.booking_ids[1]").read(doc).asText()).isEqualTo("456");
        assertThat(JsonPath.parse("$.data.booking_ids[-1]").read(doc).asText()).isEqualTo("456");
        assertThat(JsonPath.parse("$['data'][\"odd key\"].x").read(doc).asInt()).isEqualTo(1);
        assertThat(JsonPath.parse("$.data.missing.deeper").read(doc).isMissingNode()).isTrue();
        assertThat(JsonPath.parse("$.data.booking_ids[7]").read(doc).isMissingNode()).isTrue();
        assertThat(JsonPath.parse("$").read(doc)).isEqualTo(doc);
    }

    @Test
    void printsANormalizedForm() {
        assertThat(JsonPath.parse("$['data']['odd key'][0]").toString()).isEqualTo("$.data['odd key'][0]");
        assertThat(JsonPath.parseDotted("metadata.source").toString()).isEqualTo("$.metadata.source");
        assertThat(JsonPath.parse("$.a").resolve(JsonPath.parseDotted("b.0")).toString()).isEqualTo("$.a.b[0]");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "$..price            | descendant",
            "$.items[*]          | wildcards",
            "$.items.*           | wildcards",
            "$.items[?@.price>1] | filter",
            "$.items[0:2]        | slices",
            "$.items[:2]         | slices",
            "$.items[0,1]        | unions",
            "$['a','b']          | unions",
            "$.a.length()        | unexpected '('",
            "data.x              | starts with '$'",
            "$.                  | member name is expected",
            "$.items[01]         | leading zeros",
            "$.items[            | unclosed"})
    void rejectsEverythingOutsideTheSubset(String path, String reason) {
        assertThatThrownBy(() -> JsonPath.parse(path.trim())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason.trim());
    }
}
