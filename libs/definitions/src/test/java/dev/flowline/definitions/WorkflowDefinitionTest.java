package dev.flowline.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.flowline.expression.JsonPath;

class WorkflowDefinitionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static final String PAYOUTS = """
            {"name": "process_payout", "version": 3, "command": "finance.payouts.process",
             "input": {"type": "object", "properties": {"payout_id": {"type": "string"}}},
             "start": "MATCH", "end": ["COMPLETE"],
             "concurrency": {"limit": 2, "key": "$.input.host_id"},
             "steps": {
               "MATCH": {"uses": "match_bookings@^1.2", "with": {"payout_id": "$.input.payout_id", "at": "NOW()"},
                         "onError": {"UNMATCHED_BOOKING": "task", "*": {"action": "retry", "retry": {"maxAttempts": 3,
                                     "backoff": {"initialInterval": "2s", "rate": 1.5}}}},
                         "timeout": "30s", "retry": {"maxAttempts": 5},
                         "next": [{"when": {"steps.MATCH.output.success": false}, "to": "MATCH"}, {"to": "COMPLETE"}],
                         "maxVisits": 3, "x-owner": "finance"},
               "COMPLETE": {"uses": "complete_payout@1.0.0", "displayName": "Complete"}},
             "output": {"matched": "$.steps.MATCH.output.success"},
             "x-team": {"slack": "#payouts"}}""";

    @Test
    void aWorkflowIsReadIntoTypedStepsWithItsExpressionsParsed() {
        WorkflowDefinition workflow = WorkflowDefinition.parse(read(PAYOUTS));
        assertThat(workflow.version()).isEqualTo("3");
        assertThat(workflow.integerVersion()).isTrue();
        assertThat(workflow.steps()).containsOnlyKeys("MATCH", "COMPLETE");
        WorkflowDefinition.WorkflowStep match = workflow.step("MATCH");
        assertThat(match.uses()).isEqualTo(new StepRef("match_bookings", "^1.2"));
        assertThat(match.uses().accepts("1.3.0")).isTrue();
        assertThat(match.uses().accepts("2.0.0")).isFalse();
        assertThat(match.with().parsed().evaluate(read("{\"input\": {\"payout_id\": \"p1\"}}"),
                dev.flowline.expression.FunctionValues.fresh(java.time.Clock.systemUTC())).path("payout_id")
                .asText()).isEqualTo("p1");
        assertThat(match.next().plain()).isFalse();
        assertThat(match.next().targets()).containsExactly("MATCH", "COMPLETE");
        assertThat(match.next().branches().get(0).when().parsed().tests()).hasSize(1);
        assertThat(match.next().branches().get(1).isDefault()).isTrue();
        assertThat(match.policyFor("UNMATCHED_BOOKING").action()).isEqualTo(ErrorAction.TASK);
        assertThat(match.policyFor("ANYTHING_ELSE").action()).isEqualTo(ErrorAction.RETRY);
        assertThat(match.policyFor("ANYTHING_ELSE").retry().backoff().initialInterval().value())
                .isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(match.timeout().value()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(match.maxVisits()).isEqualTo(3);
        assertThat(workflow.step("COMPLETE").next().isEnd()).isTrue();
        assertThat(workflow.concurrency().limit()).isEqualTo(2);
        assertThat(workflow.concurrency().key().parsed()).isEqualTo(JsonPath.parse("$.input.host_id"));
        assertThat(workflow.stepNames()).containsExactly("match_bookings", "complete_payout");
    }

    @Test
    void membersTheLanguageDoesNotDefineAreKeptAndTheDocumentComesBackWhole() {
        JsonNode document = read(PAYOUTS);
        WorkflowDefinition workflow = WorkflowDefinition.parse(document);
        assertThat(workflow.unknown().path("x-team").path("slack").asText()).isEqualTo("#payouts");
        assertThat(workflow.step("MATCH").unknown().path("x-owner").asText()).isEqualTo("finance");
        ObjectNode back = workflow.toJson();
        assertThat(back.equals(Numbers.BY_VALUE, document)).as("%s%nvs%n%s", back, document).isTrue();
        assertThat(WorkflowDefinition.parse(back).toJson()).isEqualTo(back);
    }

    @Test
    void everyErrorIsReportedAtItsPointerNotJustTheFirst() {
        assertThatThrownBy(() -> WorkflowDefinition.parse(read("""
                {"name": "w", "version": 1, "command": "c", "start": "A", "end": ["A"],
                 "concurrency": {"limit": 1, "key": "input.x"},
                 "steps": {
                   "A": {"uses": "no_range", "with": {"x": "SHELL()"}, "maxVisits": "many",
                         "onError": {"E": "explode"},
                         "next": [{"when": {"x": {"resembles": 1}}, "to": "A"}, {"to": "A"}]}}}""")))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.errors()).extracting(
                        DefinitionError::pointer).containsExactlyInAnyOrder("/steps/A/uses", "/steps/A/with/x",
                                "/steps/A/maxVisits", "/steps/A/onError/E", "/steps/A/next/0/when/x/resembles",
                                "/concurrency/key"));
    }

    @Test
    void aStepReferenceIsSplitAtItsAt() {
        assertThat(StepRef.parse("update_rental_settings@>=1.0.0 <2.0.0", "/uses")).isEqualTo(new StepRef(
                "update_rental_settings", ">=1.0.0 <2.0.0"));
        assertThat(new StepRef("a", "^1").validRange()).isTrue();
        assertThat(new StepRef("a", "1.0.0 || ;rm").validRange()).isFalse();
        assertThatThrownBy(() -> StepRef.parse("@^1", "/steps/A/uses")).isInstanceOfSatisfying(
                DefinitionException.class, e -> assertThat(e.errors().get(0).pointer()).isEqualTo("/steps/A/uses"));
    }
}
