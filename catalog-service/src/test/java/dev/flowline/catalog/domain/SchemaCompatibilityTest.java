package dev.flowline.catalog.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.flowline.catalog.domain.SchemaCompatibility.Change;
import dev.flowline.catalog.domain.SchemaCompatibility.Mode;

/**
 * The compatibility table: each row is a schema change with the verdict per mode (BACKWARD: new readers, old data;
 * FORWARD: old readers, new data; FULL: both; NONE: always). The same table is in docs/schemas.md.
 */
class SchemaCompatibilityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPEN = "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"}},\"required\":[\"id\"]";
    private static final String CLOSED = OPEN + ",\"additionalProperties\":false";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # change                                   | old                                                                 | new                                                                                               | backward | forward | kind
            no change                                  | {"type":"string"}                                                   | {"type":"string"}                                                                                 | true     | true    |
            optional property added to an open schema | OPEN}                                                               | OPEN,"properties":{"id":{"type":"string"},"note":{"type":"string"}}}                              | false    | true    | property-added
            optional property added to a closed schema | CLOSED}                                                             | CLOSED,"properties":{"id":{"type":"string"},"note":{"type":"string"}}}                            | true     | false   | property-added
            required property added (closed)           | CLOSED}                                                             | CLOSED,"properties":{"id":{"type":"string"},"n":{"type":"string"}},"required":["id","n"]}         | false    | false   | required-added
            required property added (open)             | OPEN}                                                               | OPEN,"properties":{"id":{"type":"string"},"n":{"type":"string"}},"required":["id","n"]}           | false    | true    | required-added
            property made optional                     | OPEN}                                                               | OPEN,"required":[]}                                                                               | true     | false   | required-removed
            property removed from an open schema       | OPEN,"properties":{"id":{"type":"string"},"x":{"type":"string"}}}   | OPEN}                                                                                             | true     | false   | property-removed
            property removed from a closed schema      | CLOSED,"properties":{"id":{"type":"string"},"x":{"type":"string"}}} | CLOSED}                                                                                           | false    | true    | property-removed
            schema closed                              | OPEN}                                                               | CLOSED}                                                                                           | false    | true    | additional-properties-closed
            schema opened                              | CLOSED}                                                             | OPEN}                                                                                             | true     | false   | additional-properties-opened
            enum value added                           | {"enum":["a","b"]}                                                  | {"enum":["a","b","c"]}                                                                            | true     | false   | enum-value-added
            enum value removed                         | {"enum":["a","b"]}                                                  | {"enum":["a"]}                                                                                    | false    | true    | enum-value-removed
            enum introduced                            | {"type":"string"}                                                   | {"type":"string","enum":["a"]}                                                                    | false    | true    | enum-added
            type widened integer to number             | {"type":"integer"}                                                  | {"type":"number"}                                                                                 | true     | false   | type-widened
            type narrowed number to integer            | {"type":"number"}                                                   | {"type":"integer"}                                                                                | false    | true    | type-narrowed
            type changed string to integer             | {"type":"string"}                                                   | {"type":"integer"}                                                                                | false    | false   | type-changed
            null allowed                               | {"type":"string"}                                                   | {"type":["string","null"]}                                                                        | true     | false   | type-widened
            const added                                | {"type":"string"}                                                   | {"type":"string","const":"x"}                                                                     | false    | true    | const-added
            const changed                              | {"const":"x"}                                                       | {"const":"y"}                                                                                     | false    | false   | const-changed
            pattern added                              | {"type":"string"}                                                   | {"type":"string","pattern":"^[a-z]+$"}                                                            | false    | true    | pattern-added
            pattern removed                            | {"type":"string","pattern":"^[a-z]+$"}                              | {"type":"string"}                                                                                 | true     | false   | pattern-removed
            pattern changed                            | {"type":"string","pattern":"^[a-z]+$"}                              | {"type":"string","pattern":"^[0-9]+$"}                                                            | false    | false   | pattern-changed
            maximum lowered                            | {"type":"number","maximum":100}                                     | {"type":"number","maximum":50}                                                                    | false    | true    | bound-narrowed
            maximum raised                             | {"type":"number","maximum":100}                                     | {"type":"number","maximum":500}                                                                   | true     | false   | bound-widened
            minLength added                            | {"type":"string"}                                                   | {"type":"string","minLength":3}                                                                   | false    | true    | bound-narrowed
            minItems lowered                           | {"type":"array","minItems":2}                                       | {"type":"array","minItems":1}                                                                     | true     | false   | bound-widened
            nested type narrowed inside array items    | {"type":"array","items":{"type":"number"}}                          | {"type":"array","items":{"type":"integer"}}                                                       | false    | true    | type-narrowed
            nested property required in an object      | {"type":"object","properties":{"m":{"type":"object","properties":{"c":{"type":"string"}}}}} | {"type":"object","properties":{"m":{"type":"object","properties":{"c":{"type":"string"}},"required":["c"]}}} | false | true | required-added
            $ref target changed                        | {"$ref":"#/$defs/a","$defs":{"a":{"type":"string"}}}                | {"$ref":"#/$defs/a","$defs":{"a":{"type":"integer"}}}                                             | false    | false   | not-provably-compatible
            anyOf added                                | {"type":"string"}                                                   | {"type":"string","anyOf":[{"minLength":1},{"pattern":"^x"}]}                                      | false    | false   | not-provably-compatible
            oneOf changed                              | {"oneOf":[{"type":"string"},{"type":"integer"}]}                    | {"oneOf":[{"type":"string"}]}                                                                     | false    | false   | not-provably-compatible
            allOf kept while a property becomes required | {"allOf":[{"type":"object"}],"properties":{"a":{"type":"string"}}} | {"allOf":[{"type":"object"}],"properties":{"a":{"type":"string"}},"required":["a"]}              | false    | true    | required-added
            not added                                  | {"type":"string"}                                                   | {"type":"string","not":{"const":"x"}}                                                             | false    | false   | not-provably-compatible
            multipleOf changed                         | {"type":"integer","multipleOf":2}                                   | {"type":"integer","multipleOf":4}                                                                 | false    | false   | not-provably-compatible
            patternProperties added                    | {"type":"object"}                                                   | {"type":"object","patternProperties":{"^x-":{"type":"string"}}}                                  | false    | false   | not-provably-compatible
            prefixItems changed                        | {"type":"array","prefixItems":[{"type":"string"}]}                  | {"type":"array","prefixItems":[{"type":"integer"}]}                                               | false    | false   | not-provably-compatible
            dependentRequired added                    | {"type":"object"}                                                   | {"type":"object","dependentRequired":{"a":["b"]}}                                                 | false    | false   | not-provably-compatible
            additionalProperties schema changed        | {"type":"object","additionalProperties":{"type":"string"}}          | {"type":"object","additionalProperties":{"type":"integer"}}                                       | false    | false   | not-provably-compatible
            property schema made false                 | {"type":"object","properties":{"a":{"type":"string"}}}              | {"type":"object","properties":{"a":false}}                                                        | false    | true    | schema-false-added
            property schema false removed              | {"type":"object","properties":{"a":false}}                          | {"type":"object","properties":{"a":{"type":"string"}}}                                            | true     | false   | schema-false-removed
            only an annotation changed                 | {"type":"string","description":"a","examples":["x"]}                | {"type":"string","description":"b","title":"T"}                                                   | true     | true    |
            """)
    void verdicts(String change, String oldSchema, String newSchema, boolean backward, boolean forward,
            String kind) throws Exception {
        JsonNode o = JSON.readTree(expand(oldSchema));
        JsonNode n = JSON.readTree(expand(newSchema));
        assertThat(SchemaCompatibility.incompatibilities(Mode.BACKWARD, o, n).isEmpty()).as("BACKWARD")
                .isEqualTo(backward);
        assertThat(SchemaCompatibility.incompatibilities(Mode.FORWARD, o, n).isEmpty()).as("FORWARD")
                .isEqualTo(forward);
        assertThat(SchemaCompatibility.incompatibilities(Mode.FULL, o, n).isEmpty()).as("FULL")
                .isEqualTo(backward && forward);
        assertThat(SchemaCompatibility.incompatibilities(Mode.NONE, o, n)).as("NONE").isEmpty();
        List<Change> changes = SchemaCompatibility.diff(o, n);
        if (kind == null) {
            assertThat(changes).isEmpty();
        } else {
            assertThat(changes).extracting(Change::kind).contains(kind);
        }
    }

    private static String expand(String schema) {
        return schema.replace("CLOSED", CLOSED).replace("OPEN", OPEN);
    }
}
