package dev.flowline.bridge.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.flowline.definitions.Retry;
import dev.flowline.expression.JsonPath;
import dev.flowline.expression.Mapping;
import dev.flowline.stepinvocation.StepResponse;

/** The runner's pure rules: the step response contract, backoff, function ids and concurrency keys. */
class RunnerRulesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0} reads as {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"output\": {\"a\": 1}}                                   | Output",
            "{\"output\": null}                                         | Output",
            "{\"error\": {\"code\": \"UNMATCHED\", \"data\": {}}}       | Failed",
            "{\"error\": {\"code\": \"\"}}                              | Invalid",
            "{\"error\": \"UNMATCHED\"}                                 | Invalid",
            "{\"output\": {}, \"error\": {\"code\": \"X\"}}             | Invalid",
            "{\"result\": 1}                                            | Invalid",
            "[1, 2]                                                     | Invalid"})
    void aStepAnswerIsReadByTheResponseContract(String body, String kind) throws Exception {
        assertThat(StepResponse.read(JSON.readTree(body)).getClass().getSimpleName()).isEqualTo(kind);
    }

    @Test
    void aFailedAnswerCarriesItsCodeMessageAndData() throws Exception {
        StepResponse.Failed failed = (StepResponse.Failed) StepResponse.read(JSON.readTree(
                "{\"error\": {\"code\": \"UNMATCHED\", \"message\": \"no booking\", \"data\": {\"t\": 1}}}"));
        assertThat(failed.code()).isEqualTo("UNMATCHED");
        assertThat(failed.message()).isEqualTo("no booking");
        assertThat(failed.data().path("t").asInt()).isEqualTo(1);
    }

    @ParameterizedTest(name = "after attempt {0} the delay is {1} ms")
    @CsvSource({"0, 100", "1, 300", "2, 900", "3, 2000", "10, 2000"})
    void backoffGrowsByTheRateUpToTheMaximum(int attempt, long millis) {
        Retry retry = new Retry(5, new Retry.Backoff(dev.flowline.definitions.Duration.parse("100ms"), BigDecimal
                .valueOf(3), dev.flowline.definitions.Duration.parse("2s"), null));
        assertThat(Backoff.delay(retry, attempt)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void withoutABackoffTheDelayDoublesFromOneSecond() {
        assertThat(Backoff.delay(null, 0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(Backoff.delay(null, 2)).isEqualTo(Duration.ofSeconds(4));
        assertThat(Backoff.delay(null, 30)).isEqualTo(Duration.ofMinutes(5));
    }

    @ParameterizedTest(name = "{0} is the function {1}")
    @CsvSource({"process_payout, workflow-process-payout", "finance.Payouts, workflow-finance-payouts",
            "a b/c, workflow-a-b-c"})
    void aWorkflowsFunctionIdIsItsNameMadeSafe(String workflow, String id) {
        assertThat(WorkflowFunctions.functionId(workflow)).isEqualTo(id);
    }

    @ParameterizedTest(name = "{0} keys as {1}")
    @CsvSource(delimiter = '|', value = {
            "$.input.payout_id       | event.data.input.payout_id",
            "$.input.host.id         | event.data.input.host.id",
            "$.input['host-id']      | event.data.input[\"host-id\"]",
            "$.input.items[0]        | event.data.input.items[0]"})
    void aConcurrencyKeyPathBecomesAnExpressionOverTheEvent(String path, String expression) {
        assertThat(WorkflowFunctions.concurrencyKey(JsonPath.parse(path))).isEqualTo(expression);
    }

    @Test
    void onlyMappingsThatCallFunctionsAreEvaluatedInAStepOfTheirOwn() throws Exception {
        assertThat(WorkflowRunner.callsFunctions(Mapping.parse(JSON.readTree("{\"a\": \"$.input.a\", \"b\": [1]}"),
                ""))).isFalse();
        assertThat(WorkflowRunner.callsFunctions(Mapping.parse(JSON.readTree("{\"a\": {\"at\": [\"NOW()\"]}}"), "")))
                .isTrue();
    }
}
