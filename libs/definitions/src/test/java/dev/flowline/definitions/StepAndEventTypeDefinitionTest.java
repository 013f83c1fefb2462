package dev.flowline.definitions;

import static dev.flowline.definitions.WorkflowDefinitionTest.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class StepAndEventTypeDefinitionTest {

    private static final String VALIDATE = """
            {"name": "validate_payout", "version": "1.2.0", "displayName": "Validate",
             "binding": {"type": "lambda", "function": "arn:aws:lambda:eu-west-1:1:function:validate", "qualifier": "live"},
             "input": {"type": "object"}, "output": {"type": "object"},
             "errors": [{"code": "MISSING_XERO_NAME", "message": "A rental has no Xero name",
                         "data": {"type": "object", "properties": {"rental_id": {"type": "string"}}}},
                        {"code": "XERO_DOWN", "message": "Xero is unavailable", "retryable": true}],
             "retry": {"maxAttempts": 4, "backoff": {"initialInterval": "500ms", "jitter": 0.2}},
             "timeout": "2m", "permissions": ["flowline-editor"], "x-runbook": "https://wiki/validate"}""";

    @Test
    void aStepDefinitionIsReadWithItsBindingErrorsAndPolicies() {
        StepDefinition step = StepDefinition.parse(read(VALIDATE));
        assertThat(step.binding()).isEqualTo(new StepDefinition.LambdaBinding(
                "arn:aws:lambda:eu-west-1:1:function:validate", "live"));
        assertThat(step.errorCodes()).containsExactly("MISSING_XERO_NAME", "XERO_DOWN");
        assertThat(step.error("MISSING_XERO_NAME").orElseThrow().data().path("properties").has("rental_id")).isTrue();
        assertThat(step.error("XERO_DOWN").orElseThrow().retryable()).isTrue();
        assertThat(step.error("NOPE")).isEmpty();
        assertThat(step.retry().maxAttempts()).isEqualTo(4);
        assertThat(step.timeout().value()).isEqualTo(java.time.Duration.ofMinutes(2));
        assertThat(step.label()).isEqualTo("validate_payout@1.2.0");
    }

    @Test
    void aStepDefinitionComesBackWholeWithItsUnknownMembers() {
        JsonNode document = read(VALIDATE);
        StepDefinition step = StepDefinition.parse(document);
        assertThat(step.unknown().path("x-runbook").asText()).isEqualTo("https://wiki/validate");
        assertThat(step.toJson().equals(Numbers.BY_VALUE, document)).as("%s", step.toJson()).isTrue();
    }

    @Test
    void anHttpBindingAndAnUnknownBindingType() {
        StepDefinition http = StepDefinition.parse(read("""
                {"name": "s", "version": "1.0.0", "binding": {"type": "http", "url": "http://localhost:9000/s"},
                 "input": true, "output": {}}"""));
        assertThat(http.binding()).isInstanceOfSatisfying(StepDefinition.HttpBinding.class, b -> assertThat(b
                .methodOrDefault()).isEqualTo("POST"));
        assertThatThrownBy(() -> StepDefinition.parse(read("""
                {"name": "s", "version": "1.0.0", "binding": {"type": "ftp"}, "input": {}, "output": {},
                 "timeout": "soon"}"""))).isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e
                .errors()).extracting(DefinitionError::pointer).containsExactlyInAnyOrder("/binding/type",
                        "/timeout"));
    }

    @Test
    void anEventTypeIsBackwardCompatibleUnlessItSaysOtherwise() {
        EventTypeDefinition booking = EventTypeDefinition.parse(read("""
                {"type": "booking.created", "version": "1.0.0", "category": "entity",
                 "schema": {"type": "object"}, "examples": [{"id": "b1"}], "sourceWorkflows": ["import"]}"""));
        assertThat(booking.compatibility()).isEqualTo(EventTypeDefinition.Compatibility.BACKWARD);
        assertThat(booking.examples()).hasSize(1);
        assertThat(EventTypeDefinition.parse(booking.toJson())).isEqualTo(booking);
        assertThatThrownBy(() -> EventTypeDefinition.parse(read("""
                {"type": "booking.created", "version": "1.0.0", "schema": {}, "compatibility": "SIDEWAYS"}""")))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.errors().get(0).pointer())
                        .isEqualTo("/compatibility"));
    }
}
