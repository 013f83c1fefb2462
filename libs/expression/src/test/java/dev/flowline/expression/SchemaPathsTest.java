package dev.flowline.expression;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class SchemaPathsTest {

    private final ObjectMapper json = new ObjectMapper();

    private JsonNode schema() throws Exception {
        return json.readTree("""
                {"type": "object",
                 "properties": {
                   "booking_ids": {"type": "array", "items": {"type": "string"}},
                   "amount": {"type": "number"},
                   "host": {"$ref": "#/$defs/host"},
                   "extra": {"type": "object"}},
                 "$defs": {"host": {"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}}}}}""");
    }

    @Test
    void resolvesDeclaredMembersItemsAndReferences() throws Exception {
        JsonNode schema = schema();
        assertThat(SchemaPaths.types(SchemaPaths.resolve(schema, JsonPath.parse("$.booking_ids[0]")).schema()))
                .containsExactly("string");
        assertThat(SchemaPaths.resolve(schema, JsonPath.parse("$.host.id")).schema().get("format").asText())
                .isEqualTo("uuid");
        // An object that declares no properties says nothing about its members.
        assertThat(SchemaPaths.resolve(schema, JsonPath.parse("$.extra.anything")).found()).isTrue();
    }

    @Test
    void explainsWhyAPathDoesNotExist() throws Exception {
        JsonNode schema = schema();
        assertThat(SchemaPaths.resolve(schema, JsonPath.parse("$.bookingId")).error())
                .contains("$.bookingId is not declared").contains("booking_ids, amount, host, extra");
        assertThat(SchemaPaths.resolve(schema, JsonPath.parse("$.amount.value")).error())
                .contains("$.amount is a number, not an object");
        assertThat(SchemaPaths.resolve(schema, JsonPath.parse("$.host[0]")).error()).contains("not an array");
    }

    @Test
    void typeCompatibility() {
        assertThat(SchemaPaths.accepts(Set.of("number"), Set.of("integer"))).isTrue();
        assertThat(SchemaPaths.accepts(Set.of("integer"), Set.of("number", "integer"))).isFalse();
        assertThat(SchemaPaths.accepts(Set.of("string"), SchemaPaths.ALL_TYPES)).isFalse();
    }
}
