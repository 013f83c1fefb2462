package dev.flowline.servicekit.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.json.schema.JsonSchemaOptions;

/**
 * The pre-check may only say "valid" where vertx-json-schema does: over this table the two libraries give the same
 * verdict, and the two-step validation answers exactly the errors of vertx-json-schema alone.
 */
class PrecheckedSchemaTest {

    // As the services read JSON: fractions as decimals (DecimalNumbers).
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final JsonSchemaOptions OPTIONS = JsonSchemaValidation.options("https://flowline.dev/test/");

    private static JsonNode read(String json) throws Exception {
        return JSON.readTree(json);
    }

    @ParameterizedTest(name = "{0} | {1} -> prechecked {2}")
    @CsvSource(delimiter = '|', textBlock = """
            {"type":"object","required":["id"]}                                   | {"id":"b-1"}              | true
            {"type":"object","required":["id"]}                                   | {}                        | true
            {"type":"object","properties":{"n":{"type":"integer"}}}               | {"n":3}                   | true
            {"type":"object","properties":{"n":{"type":"integer"}}}               | {"n":3.5}                 | true
            {"type":"object","properties":{"n":{"type":"integer"}}}               | {"n":"3"}                 | true
            {"type":"object","properties":{"n":{"type":"number","minimum":0}}}    | {"n":-0.01}               | true
            {"type":"object","properties":{"n":{"type":"number","maximum":10}}}   | {"n":10.000000000000001}  | true
            {"type":"object","properties":{"n":{"exclusiveMinimum":0}}}           | {"n":0}                   | true
            {"type":"object","properties":{"s":{"type":"string","minLength":2}}}  | {"s":"é"}                 | true
            {"type":"object","properties":{"s":{"type":"string","maxLength":2}}}  | {"s":"😀😀"}              | true
            {"type":"object","properties":{"r":{"pattern":"^r-[0-9]+$"}}}         | {"r":"r-12"}              | true
            {"type":"object","properties":{"r":{"pattern":"^r-[0-9]+$"}}}         | {"r":"r-x"}               | true
            {"type":"object","properties":{"r":{"pattern":"[0-9]"}}}              | {"r":"ab3"}               | true
            {"properties":{"status":{"enum":["confirmed","pending"]}}}            | {"status":"cancelled"}    | true
            {"properties":{"status":{"enum":["confirmed","pending"]}}}            | {"status":"pending"}      | true
            {"properties":{"a":{"const":{"x":[1,2]}}}}                            | {"a":{"x":[1,2]}}         | true
            {"properties":{"a":{"const":1}}}                                      | {"a":1.0}                 | true
            {"type":"object","additionalProperties":false,"properties":{"a":{}}}  | {"a":1,"b":2}             | true
            {"type":"object","additionalProperties":false,"properties":{"a":{}}}  | {"a":1}                   | true
            {"type":"object","patternProperties":{"^x-":{"type":"string"}}}      | {"x-a":1}                 | true
            {"type":"object","propertyNames":{"maxLength":3}}                     | {"abcd":1}                | true
            {"type":"object","minProperties":2}                                   | {"a":1}                   | true
            {"type":"object","dependentRequired":{"a":["b"]}}                     | {"a":1}                   | true
            {"properties":{"g":{"type":"object","required":["name"]}}}            | {"g":{"email":"x"}}       | true
            {"properties":{"l":{"type":"array","items":{"type":"string"}}}}       | {"l":["a",2]}             | true
            {"properties":{"l":{"prefixItems":[{"type":"string"}],"items":false}}}| {"l":["a","b"]}           | true
            {"properties":{"l":{"uniqueItems":true}}}                             | {"l":[1,1.0]}             | false
            {"properties":{"l":{"contains":{"const":2},"minContains":2}}}         | {"l":[2,3]}               | true
            {"properties":{"l":{"minItems":1}}}                                   | {"l":[]}                  | true
            {"properties":{"v":{"oneOf":[{"type":"string"},{"minLength":1}]}}}    | {"v":"a"}                 | true
            {"properties":{"v":{"anyOf":[{"type":"string"},{"type":"null"}]}}}    | {"v":null}                | true
            {"properties":{"v":{"not":{"type":"null"}}}}                          | {"v":null}                | true
            {"if":{"properties":{"k":{"const":"a"}}},"then":{"required":["x"]}}   | {"k":"a"}                 | true
            {"if":{"properties":{"k":{"const":"a"}}},"then":{"required":["x"]}}   | {"k":"b"}                 | true
            {"type":"object","unevaluatedProperties":false,"properties":{"a":{}}} | {"a":1,"b":2}             | true
            {"type":["string","null"]}                                            | 3                         | true
            {"properties":{"e":{"type":"string","format":"email"}}}               | {"e":"not-an-email"}      | false
            {"properties":{"m":{"multipleOf":0.01}}}                              | {"m":19.99}               | false
            {"$defs":{"id":{"type":"string"}},"properties":{"a":{"$ref":"#/$defs/id"}}} | {"a":1}             | false
            {"$id":"https://flowline.dev/test/x","type":"object"}                 | {}                        | false
            """)
    void thePrecheckAgreesWithVertxJsonSchemaAndTheErrorsAreVertxJsonSchemas(String schemaText, String documentText,
            boolean prechecked) throws Exception {
        JsonNode schema = read(schemaText);
        JsonNode document = read(documentText);
        PrecheckedSchema twoStep = PrecheckedSchema.compile(schema, OPTIONS);
        List<?> alone = JsonSchemaValidation.validate(JsonSchemaValidation.compile(schema, OPTIONS), document,
                "/data");

        assertThat(twoStep.prechecked()).isEqualTo(prechecked);
        if (prechecked) {
            assertThat(twoStep.precheckFindsValid(document)).as("networknt's verdict").isEqualTo(alone.isEmpty());
        }
        assertThat(twoStep.validate(document, "/data")).isEqualTo(alone);
    }
}
