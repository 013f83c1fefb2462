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

    @Test
    void aSchemaThatRefersToItselfThroughACombinatorResolvesWithoutEndlessRecursion() throws Exception {
        JsonNode self = json.readTree("""
                {"$ref": "#/$defs/a", "$defs": {"a": {"anyOf": [{"$ref": "#/$defs/a"}, {"type": "null"}]}}}""");
        // It says nothing of its members (the loop adds none), so any member resolves to the empty schema.
        assertThat(SchemaPaths.resolve(self, JsonPath.parse("$.anything.deeper")).found()).isTrue();
        JsonNode mutual = json.readTree(
                """
                        {"$ref": "#/$defs/a", "$defs": {
                          "a": {"type": "object", "properties": {"x": {"type": "string"}}, "allOf": [{"$ref": "#/$defs/b"}]},
                          "b": {"type": "object", "properties": {"y": {"type": "integer"}}, "anyOf": [{"$ref": "#/$defs/a"}]}}}""");
        assertThat(SchemaPaths.types(SchemaPaths.resolve(mutual, JsonPath.parse("$.x")).schema())).containsExactly(
                "string");
        assertThat(SchemaPaths.types(SchemaPaths.resolve(mutual, JsonPath.parse("$.y")).schema())).contains(
                "integer");
        assertThat(SchemaPaths.resolve(mutual, JsonPath.parse("$.z")).error()).contains("$.z is not declared");
    }
}
