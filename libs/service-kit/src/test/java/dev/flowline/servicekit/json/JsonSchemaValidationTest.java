package dev.flowline.servicekit.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.SchemaRepository;

import dev.flowline.servicekit.problem.Problem.FieldError;

class JsonSchemaValidationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA = """
            {"$defs": {"name": {"type": "string", "pattern": "^[a-z]+\\\\.[a-z]+$",
                                "description": "lower-case entity.verb"}},
             "type": "object", "required": ["type", "version"], "additionalProperties": false,
             "properties": {"type": {"$ref": "#/$defs/name"},
                            "version": {"type": "string", "minLength": 5},
                            "category": {"enum": ["entity", "notification"]},
                            "tags": {"type": "array", "maxItems": 2, "uniqueItems": true},
                            "n": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
                            "amount": {"type": "number", "minimum": 0}}}""";

    private static List<FieldError> errors(String document) throws Exception {
        return JsonSchemaValidation.validate(JsonSchemaValidation.compile(JSON.readTree(SCHEMA), JsonSchemaValidation
                .options("urn:test")), JSON.readTree(document), "");
    }

    @Test
    void aBadNameIsOneErrorAtTheValueNamingThePatternAndItsForm() throws Exception {
        assertThat(errors("""
                {"type": "Booking Created", "version": "1.0.0"}""")).containsExactly(new FieldError("/type",
                "must match ^[a-z]+\\.[a-z]+$: lower-case entity.verb"));
    }

    @Test
    void eachProblemOfADocumentIsOneErrorNamingItsConstraint() throws Exception {
        assertThat(errors("""
                {"version": 3, "category": "other", "tags": ["a", "a", "b"], "amount": -1, "extra": true}"""))
                .containsExactlyInAnyOrder(
                        new FieldError("", "required property \"type\" is missing"),
                        new FieldError("/version", "must be of type string, not number"),
                        new FieldError("/category", "must be one of: \"entity\", \"notification\""),
                        new FieldError("/tags", "must have at most 2 items"),
                        new FieldError("/tags", "must not repeat an item (uniqueItems)"),
                        new FieldError("/amount", "must be >= 0"),
                        new FieldError("/extra", "property \"extra\" is not allowed here (allowed: type, version, "
                                + "category, tags, n, amount)"));
    }

    @Test
    void theFailedAlternativesOfAOneOfAreOneErrorListingThem() throws Exception {
        assertThat(errors("""
                {"type": "booking.created", "version": "1.0.0", "n": 1.5}""")).containsExactly(new FieldError("/n",
                "must match exactly one of the alternatives (oneOf): must be of type integer, not number | "
                        + "must be of type string, not number"));
    }

    @Test
    void aValidatorFromARepositoryQuotesItsSchemasWhenDescribedByThem() throws Exception {
        JsonNode schema = JSON.readTree(SCHEMA);
        SchemaRepository repository = SchemaRepository.create(new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
                .setBaseUri("https://flowline.dev/schemas/").setOutputFormat(OutputFormat.Basic));
        String uri = "https://flowline.dev/schemas/event.json";
        repository.dereference(uri, JsonSchema.of(new io.vertx.core.json.JsonObject(SCHEMA)));
        var validator = JsonSchemaValidation.described(repository.validator(uri), Map.of(uri, schema));

        assertThat(JsonSchemaValidation.validate(validator, JSON.readTree("""
                {"type": "Nope", "version": "1.0.0"}"""), "/definition")).containsExactly(new FieldError(
                "/definition/type", "must match ^[a-z]+\\.[a-z]+$: lower-case entity.verb"));
    }
}
