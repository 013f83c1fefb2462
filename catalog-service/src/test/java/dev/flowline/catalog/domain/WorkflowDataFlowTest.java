package dev.flowline.catalog.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.flowline.definitions.StepDefinition;
import dev.flowline.definitions.WorkflowDefinition;
import dev.flowline.servicekit.problem.Problem.FieldError;

class WorkflowDataFlowTest {

    private final ObjectMapper json = new ObjectMapper();

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private final JsonNode match = read("""
            {"name": "match_bookings", "version": "1.0.0",
             "input": {"type": "object", "required": ["payout_id"],
                       "properties": {"payout_id": {"type": "string"}, "amount": {"type": "number"}}},
             "output": {"type": "object", "properties": {"success": {"type": "boolean"},
                        "unmatched": {"type": "array", "items": {"type": "string"}}}},
             "errors": [{"code": "UNMATCHED_BOOKING", "message": "x"}]}""");
    private final JsonNode notify = read(
            """
                    {"name": "notify", "version": "1.0.0", "input": {"type": "object", "properties": {"ids": {"type": "array"}}},
                     "output": {"type": "object", "properties": {"sent": {"type": "integer"}}}}""");

    /** MATCH → (NOTIFY | SKIP) → DONE; the workflow input has payout_id (string) and total (number). */
    private ObjectNode workflow() {
        return (ObjectNode) read(
                """
                        {"start": "MATCH", "end": ["DONE"],
                         "input": {"type": "object", "properties": {"payout_id": {"type": "string"}, "total": {"type": "number"},
                                   "label": {"type": "string"}}},
                         "steps": {
                           "MATCH": {"uses": "match_bookings@^1", "with": {"payout_id": "$.input.payout_id", "amount": "$.input.total"},
                                     "onError": {"UNMATCHED_BOOKING": "task", "*": "fail"},
                                     "next": [{"when": {"steps.MATCH.output.success": false}, "to": "NOTIFY"}, {"to": "SKIP"}]},
                           "NOTIFY": {"uses": "notify@^1", "with": {"ids": "$.steps.MATCH.output.unmatched"}, "next": "DONE"},
                           "SKIP": {"uses": "notify@^1", "next": "DONE"},
                           "DONE": {"uses": "notify@^1"}},
                         "output": {"matched": "$.steps.MATCH.output.success"}}""");
    }

    private List<FieldError> check(JsonNode document) {
        ObjectNode named = ((ObjectNode) document.deepCopy()).put("name", "payouts").put("version", 1).put("command",
                "finance.payouts.process");
        WorkflowDefinition workflow = WorkflowDefinition.parse(named);
        WorkflowGraph graph = new WorkflowGraph(workflow);
        assertThat(graph.check()).isEmpty();
        StepDefinition matchStep = StepDefinition.parse(match);
        StepDefinition notifyStep = StepDefinition.parse(notify);
        return new WorkflowDataFlow(workflow, Map.of("MATCH", matchStep, "NOTIFY", notifyStep, "SKIP", notifyStep,
                "DONE", notifyStep), graph).check();
    }

    @Test
    void aSoundWorkflowPasses() {
        assertThat(check(workflow())).isEmpty();
    }

    @Test
    void onErrorCodesMustBeDeclaredByTheStep() {
        ObjectNode wf = workflow();
        ((ObjectNode) wf.at("/steps/MATCH/onError")).put("NOPE", "skip");
        assertThat(check(wf)).extracting(FieldError::pointer).containsExactly("/steps/MATCH/onError/NOPE");
    }

    @Test
    void inputPathsMustExistInTheWorkflowInput() {
        ObjectNode wf = workflow();
        ((ObjectNode) wf.at("/steps/MATCH/with")).put("payout_id", "$.input.payoutId");
        assertThat(check(wf)).singleElement().satisfies(e -> {
            assertThat(e.pointer()).isEqualTo("/steps/MATCH/with/payout_id");
            assertThat(e.detail()).contains("not declared");
        });
    }

    @Test
    void aStepOutputIsReadableOnlyAfterTheStepRanOnEveryPath() {
        ObjectNode wf = workflow();
        ((ObjectNode) wf.at("/steps/DONE")).putObject("with").put("ids", "$.steps.NOTIFY.output.sent");
        assertThat(check(wf)).extracting(FieldError::pointer).contains("/steps/DONE/with/ids");
        ObjectNode output = workflow();
        ((ObjectNode) output.get("output")).put("sent", "$.steps.NOTIFY.output.sent");
        assertThat(check(output)).extracting(FieldError::pointer).containsExactly("/output/sent");
    }

    @Test
    void outputPathsMustExistInTheStepOutput() {
        ObjectNode wf = workflow();
        ((ObjectNode) wf.at("/steps/NOTIFY/with")).put("ids", "$.steps.MATCH.output.unmatchd");
        assertThat(check(wf)).extracting(FieldError::pointer).containsExactly("/steps/NOTIFY/with/ids");
    }

    @Test
    void requiredInputsMustBeMapped() {
        ObjectNode wf = workflow();
        ((ObjectNode) wf.at("/steps/MATCH/with")).remove("payout_id");
        assertThat(check(wf)).singleElement().satisfies(e -> {
            assertThat(e.pointer()).isEqualTo("/steps/MATCH/with");
            assertThat(e.detail()).contains("payout_id");
        });
    }

    @Test
    void mappedTypesMustBeCompatible() {
        ObjectNode wf = workflow();
        ((ObjectNode) wf.at("/steps/MATCH/with")).put("amount", "$.input.label");
        assertThat(check(wf)).extracting(FieldError::pointer).containsExactly("/steps/MATCH/with/amount");
        ObjectNode literal = workflow();
        ((ObjectNode) literal.at("/steps/MATCH/with")).put("payout_id", 42);
        assertThat(check(literal)).extracting(FieldError::pointer).containsExactly("/steps/MATCH/with/payout_id");
    }

    @Test
    void conditionPathsMustExist() {
        ObjectNode wf = workflow();
        ((ObjectNode) wf.at("/steps/MATCH/next/0/when")).removeAll().put("steps.MATCH.output.succes", false);
        assertThat(check(wf)).extracting(FieldError::pointer)
                .containsExactly("/steps/MATCH/next/0/when/steps.MATCH.output.succes");
    }

    @Test
    void pathsReadTheInputOrAStepOutputOnly() {
        ObjectNode wf = workflow();
        ((ObjectNode) wf.at("/steps/MATCH/with")).put("amount", "$.secrets.key");
        assertThat(check(wf)).extracting(FieldError::pointer).containsExactly("/steps/MATCH/with/amount");
    }
}
