package dev.flowline.catalog.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.flowline.definitions.WorkflowDefinition;
import dev.flowline.servicekit.problem.Problem.FieldError;

class WorkflowGraphTest {

    private final ObjectMapper json = new ObjectMapper();

    private List<FieldError> check(String steps, String start, String end) throws Exception {
        JsonNode workflow = json.readTree("{\"name\": \"w\", \"version\": 1, \"command\": \"c\", \"start\": \"" + start
                + "\", \"end\": " + end + ", \"steps\": " + steps
                + "}");
        return new WorkflowGraph(WorkflowDefinition.parse(workflow)).check();
    }

    @Test
    void aSoundLinearGraphPasses() throws Exception {
        assertThat(check("{\"A\": {\"uses\": \"a@1\", \"next\": \"B\"}, \"B\": {\"uses\": \"b@1\"}}", "A", "[\"B\"]"))
                .isEmpty();
    }

    @Test
    void startMustExist() throws Exception {
        assertThat(check("{\"A\": {\"uses\": \"a@1\"}}", "X", "[\"A\"]")).extracting(FieldError::pointer)
                .containsExactly("/start");
    }

    @Test
    void everyNextTargetMustExist() throws Exception {
        assertThat(check("{\"A\": {\"uses\": \"a@1\", \"next\": \"NOPE\"}, \"B\": {\"uses\": \"b@1\"}}", "A",
                "[\"B\"]")).extracting(FieldError::pointer).containsExactly("/steps/A/next");
        assertThat(check("{\"A\": {\"uses\": \"a@1\", \"next\": [{\"when\": {\"x\": 1}, \"to\": \"NOPE\"}, "
                + "{\"to\": \"B\"}]}, \"B\": {\"uses\": \"b@1\"}}", "A", "[\"B\"]")).extracting(FieldError::pointer)
                .containsExactly("/steps/A/next/0/to");
    }

    @Test
    void endStepsMustExistAndHaveNoNext() throws Exception {
        assertThat(check("{\"A\": {\"uses\": \"a@1\", \"next\": \"B\"}, \"B\": {\"uses\": \"b@1\"}}", "A",
                "[\"B\", \"Z\"]")).extracting(FieldError::pointer).containsExactly("/end/1");
        assertThat(check("{\"A\": {\"uses\": \"a@1\", \"next\": \"B\"}, \"B\": {\"uses\": \"b@1\", \"next\": \"A\"}}",
                "A", "[\"B\"]")).extracting(FieldError::pointer).contains("/steps/B/next");
    }

    @Test
    void everyStepIsReachableFromTheStart() throws Exception {
        assertThat(check("{\"A\": {\"uses\": \"a@1\", \"next\": \"B\"}, \"B\": {\"uses\": \"b@1\"}, "
                + "\"C\": {\"uses\": \"c@1\", \"next\": \"B\"}}", "A", "[\"B\"]"))
                .extracting(FieldError::pointer).containsExactly("/steps/C");
    }

    @Test
    void everyStepCanReachAnEnd() throws Exception {
        assertThat(check("{\"A\": {\"uses\": \"a@1\", \"next\": [{\"when\": {\"x\": 1}, \"to\": \"B\"}, "
                + "{\"to\": \"C\"}]}, \"B\": {\"uses\": \"b@1\"}, \"C\": {\"uses\": \"c@1\"}}", "A", "[\"B\"]"))
                .extracting(FieldError::pointer).containsExactly("/steps/C");
    }

    @Test
    void aLoopNeedsABoundedExit() throws Exception {
        String loop = "{\"A\": {\"uses\": \"a@1\", \"next\": \"B\"%s}, "
                + "\"B\": {\"uses\": \"b@1\", \"next\": [{\"when\": {\"done\": true}, \"to\": \"C\"}, {\"to\": \"A\"}]}, "
                + "\"C\": {\"uses\": \"c@1\"}}";
        assertThat(check(String.format(loop, ""), "A", "[\"C\"]")).extracting(FieldError::pointer)
                .containsExactly("/steps/A/next");
        assertThat(check(String.format(loop, ", \"maxVisits\": 5"), "A", "[\"C\"]")).isEmpty();
        // A self-loop with no way out is caught as well (it cannot reach an end either).
        assertThat(check("{\"A\": {\"uses\": \"a@1\", \"maxVisits\": 3, \"next\": \"A\"}, \"B\": {\"uses\": \"b@1\"}}",
                "A", "[\"B\"]")).extracting(FieldError::pointer).contains("/steps/A/next");
    }

    @Test
    void onlyTheLastBranchIsTheDefault() throws Exception {
        assertThat(
                check("{\"A\": {\"uses\": \"a@1\", \"next\": [{\"to\": \"B\"}, {\"when\": {\"x\": 1}, \"to\": \"B\"}]},"
                        + " \"B\": {\"uses\": \"b@1\"}}", "A", "[\"B\"]"))
                .extracting(FieldError::pointer)
                .containsExactlyInAnyOrder("/steps/A/next/0", "/steps/A/next");
    }

    @Test
    void dominatorsAreTheStepsOnEveryPath() throws Exception {
        JsonNode workflow = json.readTree("""
                {"name": "w", "version": 1, "command": "c", "start": "A", "end": ["D"], "steps": {
                  "A": {"uses": "a@1", "next": [{"when": {"x": 1}, "to": "B"}, {"to": "C"}]},
                  "B": {"uses": "b@1", "next": "D"}, "C": {"uses": "c@1", "next": "D"}, "D": {"uses": "d@1"}}}""");
        WorkflowGraph graph = new WorkflowGraph(WorkflowDefinition.parse(workflow));
        assertThat(graph.check()).isEmpty();
        assertThat(graph.dominators().get("D")).containsExactly("A");
        assertThat(graph.dominators().get("B")).containsExactly("A");
        assertThat(graph.order()).containsExactly("A", "B", "C", "D");
    }
}
