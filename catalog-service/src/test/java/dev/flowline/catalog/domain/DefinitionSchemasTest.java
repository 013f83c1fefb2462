package dev.flowline.catalog.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Vertx;

import dev.flowline.contracts.CatalogKind;
import dev.flowline.servicekit.problem.Problem.FieldError;

class DefinitionSchemasTest {

    private static Vertx vertx;
    private static DefinitionSchemas schemas;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        schemas = new DefinitionSchemas(vertx);
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    private JsonNode read(String text) throws Exception {
        return json.readTree(text);
    }

    @Test
    void aValidStepPasses() throws Exception {
        assertThat(schemas.validate(CatalogKind.STEP, read("""
                {"name": "match_bookings", "version": "1.0.0",
                 "binding": {"type": "lambda", "function": "arn:aws:lambda:eu-west-1:1:function:match"},
                 "input": {"type": "object"}, "output": {"type": "object"},
                 "errors": [{"code": "UNMATCHED_BOOKING", "message": "no booking", "data": {"type": "object"}}],
                 "retry": {"maxAttempts": 3, "backoff": {"initialInterval": "1s", "rate": 2}}, "timeout": "30s"}
                """))).isEmpty();
    }

    @Test
    void errorsPointAtTheOffendingPlace() throws Exception {
        var errors = schemas.validate(CatalogKind.STEP, read("""
                {"name": "Match Bookings", "version": "1.0", "input": {}, "output": {},
                 "binding": {"type": "ftp"}, "errors": [{"code": "bad code", "message": "x"}], "colour": "red"}
                """));
        assertThat(errors).extracting(FieldError::pointer).contains("/name", "/version", "/binding",
                "/errors/0/code");
        assertThat(errors).anySatisfy(e -> assertThat(e.detail()).contains("colour"));
    }

    @Test
    void embeddedSchemasAreCheckedAgainstTheMetaSchema() throws Exception {
        assertThat(schemas.validateSchema(read("{\"type\": \"object\", \"required\": [\"a\"]}"), "/input")).isEmpty();
        assertThat(schemas.validateSchema(read("{\"type\": \"strnig\"}"), "/input"))
                .extracting(FieldError::pointer).contains("/input/type");
        assertThat(schemas.validateSchema(read("{\"required\": \"a\"}"), "/input"))
                .extracting(FieldError::pointer).contains("/input/required");
    }
}
