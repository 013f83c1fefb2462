package dev.flowline.bridge.runner;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import dev.flowline.bridge.conformance.DevModeProfile;
import dev.flowline.bridge.conformance.ExecutorClient;
import dev.flowline.contracts.CatalogChange;
import dev.flowline.contracts.CatalogKind;
import dev.flowline.contracts.MessageHeaders;
import dev.flowline.contracts.StepAwaitingTask;
import dev.flowline.contracts.TaskResolved;
import dev.flowline.contracts.Topics;
import dev.flowline.contracts.WorkflowCommand;
import dev.flowline.contracts.WorkflowRunEvent;
import dev.flowline.contracts.WorkflowRunUpdate;
import dev.flowline.devexecutor.DevExecutor;
import dev.flowline.servicekit.security.Roles;
import dev.flowline.testkit.KafkaTestClient;
import dev.flowline.testkit.Tokens;

/**
 * The workflow runner end to end: catalog definitions arrive on catalog-changes, commands on workflow-commands, the
 * dev executor runs the functions, HTTP steps are served by {@link StepEndpoints}, Lambda steps by WireMock speaking
 * the Invoke API, task resolutions arrive on task-events, and the runs API shows what happened.
 */
@QuarkusTest
@TestProfile(DevModeProfile.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkflowRunnerTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TestHTTPResource("/api/inngest")
    URL serve;

    @Inject
    ObjectMapper json;

    private DevExecutor executor;
    private StepEndpoints steps;
    private WireMockServer lambda;
    private String viewer;
    private String operator;

    @BeforeAll
    void start() throws Exception {
        executor = DevModeProfile.startExecutor(serve, Duration.ofMillis(200));
        steps = new StepEndpoints();
        lambda = new WireMockServer(WireMockConfiguration.options().port(DevModeProfile.LAMBDA_PORT));
        lambda.start();
        viewer = Tokens.forUser("vera", Roles.VIEWER);
        operator = Tokens.forUser("otto", Roles.OPERATOR);
    }

    @AfterAll
    void stop() {
        if (executor != null) {
            executor.close();
        }
        if (steps != null) {
            steps.close();
        }
        if (lambda != null) {
            lambda.stop();
        }
    }

    // ---- the scenarios ----

    @Test
    void aCommandRunsAWorkflowAlongItsConditionalBranchAndTheRunsApiShowsEveryAttempt() throws Exception {
        Payout payout = new Payout("branch");
        steps.on(payout.path("fetch"), in -> StepEndpoints.Answer.output("{\"amount\": " + in.path("input").path(
                "payout_id").asText().length() * 1000 + ", \"currency\": \"EUR\"}"));
        steps.on(payout.path("check"), in -> StepEndpoints.Answer.output("{\"ok\": true}"));
        steps.on(payout.path("review"), in -> StepEndpoints.Answer.output("{\"reviewed\": true}"));
        steps.on(payout.path("push"), in -> StepEndpoints.Answer.output("{\"pushed\": true}"));
        payout.publish(1);

        // "p-12345" is 7 characters: an amount of 7000, over the review threshold; "p1" is 2000, under it.
        UUID large = command(payout.workflow, "{\"payout_id\": \"p-12345\"}");
        UUID small = command(payout.workflow, "{\"payout_id\": \"p1\"}");
        JsonNode reviewed = awaitRun(large, run -> run.path("status").asText().equals("completed"));
        JsonNode direct = awaitRun(small, run -> run.path("status").asText().equals("completed"));

        assertThat(stepIds(reviewed)).containsExactly("FETCH", "CHECK", "REVIEW", "PUSH");
        assertThat(stepIds(direct)).containsExactly("FETCH", "CHECK", "PUSH");
        assertThat(reviewed.path("output").path("pushed").asBoolean()).isTrue();
        assertThat(reviewed.path("version").asText()).isEqualTo("1");
        JsonNode fetch = reviewed.path("steps").get(0);
        assertThat(fetch.path("status").asText()).isEqualTo("succeeded");
        assertThat(fetch.path("input").path("payout_id").asText()).isEqualTo("p-12345");
        assertThat(fetch.path("output").path("amount").asInt()).isEqualTo(7000);
        assertThat(fetch.path("startedAt").asText()).isNotEmpty();
        assertThat(fetch.path("endedAt").asText()).isNotEmpty();

        // The step saw its input, its context and an idempotency key naming run, step, execution and attempt.
        String runId = reviewed.path("runId").asText();
        StepEndpoints.Call call = steps.calls(payout.path("fetch"), runId).get(0);
        assertThat(call.idempotencyKey()).isEqualTo(runId + ":FETCH:1:0");
        assertThat(call.payload().path("context").path("workflow").asText()).isEqualTo(payout.workflow);
        assertThat(call.payload().path("context").path("idempotencyKey").asText()).isEqualTo(call.idempotencyKey());

        // trigger-service learns the run id and the outcome, keyed by the command id.
        List<JsonNode> updates = runUpdates(large, 2);
        assertThat(updates).extracting(u -> u.path("status").asText()).contains("STARTED", "COMPLETED");
        assertThat(updates).allSatisfy(u -> assertThat(u.path("runId").asText()).isEqualTo(runId));
    }

    @Test
    void aSlowStepShowsAsRunningWhileCalledAndEveryStepIsAnnouncedStartedBeforeItsOutcome() throws Exception {
        Payout payout = new Payout("slow");
        payout.allSucceed();
        // Far longer than the 100 ms STEP_STARTED is held back; the other steps answer within it.
        steps.on(payout.path("check"), in -> {
            sleep(2000);
            return StepEndpoints.Answer.output("{\"ok\": true}");
        });
        payout.publish(1);
        UUID commandId = command(payout.workflow, "{\"payout_id\": \"p1\"}");

        JsonNode running = awaitRun(commandId, run -> run.path("steps").findValuesAsText("stepId").contains("CHECK"));
        assertThat(running.path("status").asText()).isEqualTo("running");
        JsonNode check = null;
        for (JsonNode attempt : running.path("steps")) {
            if (attempt.path("stepId").asText().equals("CHECK")) {
                check = attempt;
            }
        }
        assertThat(check.path("status").asText()).isEqualTo("running");
        assertThat(check.path("input").path("amount").asInt()).isEqualTo(2000);

        JsonNode done = awaitRun(commandId, run -> run.path("status").asText().equals("completed"));
        String runId = done.path("runId").asText();
        List<String> kinds = KafkaTestClient.readAll(Topics.WORKFLOW_LIFECYCLE, r -> runId.equals(r.key())
                && WorkflowRunEvent.MESSAGE_TYPE.equals(KafkaTestClient.header(r, MessageHeaders.MESSAGE_TYPE)),
                Duration.ofSeconds(2)).stream().map(r -> {
                    try {
                        JsonNode record = json.readTree(r.value());
                        return record.path("kind").asText() + (record.hasNonNull("stepId")
                                ? " " + record.path("stepId").asText()
                                : "");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).toList();
        assertThat(kinds).containsExactly("RUN_STARTED", "STEP_STARTED FETCH", "STEP_SUCCEEDED FETCH",
                "STEP_STARTED CHECK", "STEP_SUCCEEDED CHECK", "STEP_STARTED PUSH", "STEP_SUCCEEDED PUSH",
                "RUN_COMPLETED");
    }

    @Test
    void aCommandForAWorkflowNobodyPublishedIsAnsweredAsFailedWithTheReason() throws Exception {
        UUID commandId = command("never_published_" + suffix(), "{}");
        List<JsonNode> updates = runUpdates(commandId, 1);
        assertThat(updates).hasSize(1);
        assertThat(updates.get(0).path("status").asText()).isEqualTo("FAILED");
        assertThat(updates.get(0).path("detail").asText()).contains("has no published version");
    }

    @Test
    void aDuplicateCommandStartsOneRun() throws Exception {
        Payout payout = new Payout("dup");
        payout.allSucceed();
        payout.publish(1);
        UUID commandId = UUID.randomUUID();
        sendCommand(commandId, payout.workflow, "{\"payout_id\": \"p1\"}");
        sendCommand(commandId, payout.workflow, "{\"payout_id\": \"p1\"}");
        awaitRun(commandId, run -> run.path("status").asText().equals("completed"));
        Thread.sleep(1500);
        JsonNode runs = given().auth().oauth2(viewer).queryParam("command", commandId.toString()).get("/api/runs")
                .then().statusCode(200).extract().as(JsonNode.class);
        assertThat(runs.path("items")).hasSize(1);
        assertThat(steps.calls(payout.path("fetch")).stream().filter(c -> c.runId().equals(runs.path("items").get(0)
                .path("runId").asText()))).hasSize(1);
    }

    @Test
    void aTaskResolvedWithRetryAndAPatchedInputResumesTheRunToCompletion() throws Exception {
        Payout payout = new Payout("retry");
        payout.allSucceed();
        payout.unmatchedUnlessPatched();
        payout.publish(1);
        UUID commandId = command(payout.workflow, "{\"payout_id\": \"p1\"}");
        JsonNode task = awaitingTask(commandId);
        assertThat(task.path("errorCode").asText()).isEqualTo("UNMATCHED_BOOKING");
        assertThat(task.path("errorData").path("transaction_id").asText()).isEqualTo("t-1");
        assertThat(task.path("input").path("amount").asInt()).isEqualTo(2000);
        JsonNode waiting = awaitRun(commandId, run -> run.path("status").asText().equals("waiting"));
        assertThat(waiting.path("waitingFor").asText()).isEqualTo(task.path("correlationKey").asText());

        resolve(task.path("correlationKey").asText(), TaskResolved.Resolution.RETRY, "{\"amount\": 2000, "
                + "\"booking_id\": \"b-9\"}", null, null);
        JsonNode done = awaitRun(commandId, run -> run.path("status").asText().equals("completed"));
        List<JsonNode> checks = attempts(done, "CHECK");
        assertThat(checks).extracting(a -> a.path("execution").asInt()).containsExactly(1, 2);
        assertThat(checks.get(0).path("status").asText()).isEqualTo("failed");
        assertThat(checks.get(0).path("resolution").asText()).isEqualTo("retry");
        assertThat(checks.get(1).path("input").path("booking_id").asText()).isEqualTo("b-9");
        assertThat(checks.get(1).path("status").asText()).isEqualTo("succeeded");
    }

    @Test
    void aTaskResolvedWithSkipGoesOnWithTheSubstituteOutput() throws Exception {
        Payout payout = new Payout("skip");
        payout.allSucceed();
        payout.unmatchedUnlessPatched();
        payout.publish(1);
        UUID commandId = command(payout.workflow, "{\"payout_id\": \"p1\"}");
        JsonNode task = awaitingTask(commandId);
        resolve(task.path("correlationKey").asText(), TaskResolved.Resolution.SKIP, null, "{\"ok\": false}", null);
        JsonNode done = awaitRun(commandId, run -> run.path("status").asText().equals("completed"));
        JsonNode check = attempts(done, "CHECK").get(0);
        assertThat(check.path("status").asText()).isEqualTo("skipped");
        assertThat(check.path("output").path("ok").asBoolean(true)).isFalse();
        assertThat(stepIds(done)).containsExactly("FETCH", "CHECK", "PUSH");
    }

    @Test
    void aTaskResolvedWithAbortFailsTheRunWithTheReason() throws Exception {
        Payout payout = new Payout("abort");
        payout.allSucceed();
        payout.unmatchedUnlessPatched();
        payout.publish(1);
        UUID commandId = command(payout.workflow, "{\"payout_id\": \"p1\"}");
        JsonNode task = awaitingTask(commandId);
        resolve(task.path("correlationKey").asText(), TaskResolved.Resolution.ABORT, null, null, "duplicate payout");
        JsonNode failed = awaitRun(commandId, run -> run.path("status").asText().equals("failed"));
        assertThat(failed.path("error").path("code").asText()).isEqualTo("flowline.aborted");
        assertThat(failed.path("error").path("message").asText()).contains("duplicate payout");
        assertThat(steps.calls(payout.path("push"), failed.path("runId").asText())).isEmpty();
        assertThat(runUpdates(commandId, 2)).extracting(u -> u.path("status").asText()).contains("FAILED");
    }

    @Test
    void aResolutionThatArrivesBeforeTheRunWaitsIsNotLost() throws Exception {
        Payout payout = new Payout("early");
        payout.allSucceed();
        // The check answers slowly, so the resolution is kept before the step has even failed.
        steps.on(payout.path("check"), in -> {
            sleep(1500);
            return StepEndpoints.Answer.error("UNMATCHED_BOOKING", "{\"transaction_id\": \"t-1\"}");
        });
        payout.publish(1);
        UUID commandId = command(payout.workflow, "{\"payout_id\": \"p1\"}");
        String runId = awaitRun(commandId, run -> true).path("runId").asText();
        String correlationKey = StepAwaitingTask.correlationKey(runId, "CHECK", 1, 0);
        resolve(correlationKey, TaskResolved.Resolution.SKIP, null, "{\"ok\": true}", null);
        JsonNode done = awaitRun(commandId, run -> run.path("status").asText().equals("completed"));
        assertThat(attempts(done, "CHECK").get(0).path("status").asText()).isEqualTo("skipped");
    }

    @Test
    void resumeFromAFailedStepDoesNotCallTheStepsBeforeIt() throws Exception {
        Payout payout = new Payout("resume");
        payout.allSucceed();
        steps.on(payout.path("push"), in -> StepEndpoints.Answer.error("XERO_DOWN", "{}"));
        payout.publish(1);
        UUID commandId = command(payout.workflow, "{\"payout_id\": \"p1\"}");
        JsonNode failed = awaitRun(commandId, run -> run.path("status").asText().equals("failed"));
        assertThat(failed.path("error").path("code").asText()).isEqualTo("XERO_DOWN");

        steps.on(payout.path("push"), in -> StepEndpoints.Answer.output("{\"pushed\": true}"));
        String resumedId = given().auth().oauth2(operator).contentType(ContentType.JSON).body(
                "{\"fromStep\": \"PUSH\"}").post("/api/runs/{id}/resume", failed.path("runId").asText()).then()
                .statusCode(202).extract().path("runId");
        assertThat(resumedId).isNotNull();
        JsonNode resumed = awaitRunById(resumedId, run -> run.path("status").asText().equals("completed"));
        assertThat(resumed.path("origin").path("kind").asText()).isEqualTo("resume");
        assertThat(resumed.path("origin").path("runId").asText()).isEqualTo(failed.path("runId").asText());
        assertThat(attempts(resumed, "FETCH").get(0).path("status").asText()).isEqualTo("reused");
        assertThat(steps.calls(payout.path("fetch"), resumedId)).isEmpty();
        assertThat(steps.calls(payout.path("check"), resumedId)).isEmpty();
        assertThat(steps.calls(payout.path("push"), resumedId)).hasSize(1);
    }

    @Test
    void aBulkResumeReplaysEveryFailedRunFromItsFailedStep() throws Exception {
        Payout payout = new Payout("outage");
        payout.allSucceed();
        steps.on(payout.path("push"), in -> StepEndpoints.Answer.error("XERO_DOWN", "{}"));
        payout.publish(1);
        List<UUID> commands = List.of(command(payout.workflow, "{\"payout_id\": \"p1\"}"), command(payout.workflow,
                "{\"payout_id\": \"p2\"}"), command(payout.workflow, "{\"payout_id\": \"p3\"}"));
        for (UUID commandId : commands) {
            awaitRun(commandId, run -> run.path("status").asText().equals("failed"));
        }
        steps.on(payout.path("push"), in -> StepEndpoints.Answer.output("{\"pushed\": true}"));

        given().auth().oauth2(operator).contentType(ContentType.JSON).body("{\"filter\": {}}").post(
                "/api/runs/bulk-resume").then().statusCode(422).body("errors[0].pointer", org.hamcrest.Matchers
                        .equalTo("/filter/workflow"));
        String jobId = given().auth().oauth2(operator).contentType(ContentType.JSON).body(
                "{\"filter\": {\"workflow\": \"" + payout.workflow + "\", \"errorCode\": \"XERO_DOWN\"}}").post(
                        "/api/runs/bulk-resume")
                .then().statusCode(202).extract().path("jobId");
        Instant deadline = Instant.now().plus(WAIT);
        JsonNode job;
        do {
            sleep(200);
            job = given().auth().oauth2(viewer).get("/api/runs/bulk/{id}", jobId).then().statusCode(200).extract()
                    .as(JsonNode.class);
        } while (!job.path("status").asText().equals("done") && Instant.now().isBefore(deadline));
        assertThat(job.path("matched").asInt()).isEqualTo(3);
        assertThat(job.path("runs")).hasSize(3).allSatisfy(r -> assertThat(r.path("outcome").asText()).isEqualTo(
                "started"));
        for (JsonNode result : job.path("runs")) {
            JsonNode resumed = awaitRun(UUID.fromString(result.path("commandId").asText()), run -> run.path("status")
                    .asText().equals("completed"));
            assertThat(resumed.path("origin").path("fromStep").asText()).isEqualTo("PUSH");
            assertThat(steps.calls(payout.path("fetch"), resumed.path("runId").asText())).isEmpty();
        }
    }

    @Test
    void reRunOnLatestUsesTheNewerVersion() throws Exception {
        Payout payout = new Payout("latest");
        payout.allSucceed();
        payout.publish(1);
        UUID commandId = command(payout.workflow, "{\"payout_id\": \"p1\"}");
        JsonNode first = awaitRun(commandId, run -> run.path("status").asText().equals("completed"));
        payout.publish(2);
        awaitCached(payout.workflow, "2");

        String same = given().auth().oauth2(operator).contentType(ContentType.JSON).body("{}").post(
                "/api/runs/{id}/rerun", first.path("runId").asText()).then().statusCode(202).extract().path("runId");
        String latest = given().auth().oauth2(operator).contentType(ContentType.JSON).body(
                "{\"version\": \"latest\", \"input\": {\"payout_id\": \"p22\"}}").post("/api/runs/{id}/rerun",
                        first.path("runId").asText())
                .then().statusCode(202).extract().path("runId");
        JsonNode onSame = awaitRunById(same, run -> run.path("status").asText().equals("completed"));
        JsonNode onLatest = awaitRunById(latest, run -> run.path("status").asText().equals("completed"));
        assertThat(onSame.path("version").asText()).isEqualTo("1");
        assertThat(onLatest.path("version").asText()).isEqualTo("2");
        assertThat(onLatest.path("output").path("version").asInt()).isEqualTo(2);
        assertThat(onLatest.path("input").path("payout_id").asText()).isEqualTo("p22");
        assertThat(onLatest.path("origin").path("kind").asText()).isEqualTo("rerun");
    }

    @Test
    void badRequestsAreProblemsAndStartNothing() throws Exception {
        Payout payout = new Payout("bad");
        payout.allSucceed();
        payout.publish(1);
        UUID commandId = command(payout.workflow, "{\"payout_id\": \"p1\"}");
        String runId = awaitRun(commandId, run -> run.path("status").asText().equals("completed")).path("runId")
                .asText();

        given().auth().oauth2(viewer).get("/api/runs/{id}", "no-such-run").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(operator).contentType(ContentType.JSON).body("{\"fromStep\": \"NOPE\"}").post(
                "/api/runs/{id}/resume", runId).then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].pointer", org.hamcrest.Matchers.equalTo("/fromStep"))
                .body("errors[0].detail", org.hamcrest.Matchers.containsString("NOPE"));
        // p1 is a small payout: the run never reached REVIEW.
        given().auth().oauth2(operator).contentType(ContentType.JSON).body("{\"fromStep\": \"REVIEW\"}").post(
                "/api/runs/{id}/resume", runId).then().statusCode(422).body("errors[0].pointer", org.hamcrest.Matchers
                        .equalTo("/fromStep"))
                .body("errors[0].detail", org.hamcrest.Matchers.containsString(
                        "never reached"));
        given().auth().oauth2(operator).contentType(ContentType.JSON).body(
                "{\"fromStep\": \"PUSH\", \"input\": {\"payout_id\": 42}}").post("/api/runs/{id}/resume", runId)
                .then().statusCode(422).body("errors[0].pointer", org.hamcrest.Matchers.startsWith("/input"));
        given().auth().oauth2(operator).contentType(ContentType.JSON).body("{\"input\": {\"payout_id\": 7}}").post(
                "/api/runs/{id}/rerun", runId).then().statusCode(422).body("errors[0].pointer", org.hamcrest.Matchers
                        .equalTo("/input/payout_id"));
        given().auth().oauth2(operator).contentType(ContentType.JSON).body("{}").post("/api/runs/{id}/rerun",
                "no-such-run").then().statusCode(404);
        given().auth().oauth2(viewer).contentType(ContentType.JSON).body("{}").post("/api/runs/{id}/rerun", runId)
                .then().statusCode(403);
        given().auth().oauth2(viewer).queryParam("status", "sideways").get("/api/runs").then().statusCode(400);
        given().auth().oauth2(viewer).queryParam("cursor", "not-a-cursor").get("/api/runs").then().statusCode(400);

        Thread.sleep(1000);
        JsonNode runs = given().auth().oauth2(viewer).queryParam("workflow", payout.workflow).get("/api/runs").then()
                .statusCode(200).extract().as(JsonNode.class);
        assertThat(runs.path("items")).hasSize(1);
    }

    @Test
    void aCancelledRunStopsWaitingAndTheLifecycleSaysSo() throws Exception {
        Payout payout = new Payout("cancel");
        payout.allSucceed();
        payout.unmatchedUnlessPatched();
        payout.publish(1);
        UUID commandId = command(payout.workflow, "{\"payout_id\": \"p1\"}");
        awaitingTask(commandId);
        String runId = awaitRun(commandId, run -> run.path("status").asText().equals("waiting")).path("runId")
                .asText();
        given().auth().oauth2(operator).post("/api/runs/{id}/cancel", runId).then().statusCode(202);
        JsonNode cancelled = awaitRunById(runId, run -> run.path("status").asText().equals("cancelled"));
        assertThat(cancelled.path("endedAt").asText()).isNotEmpty();
        new ExecutorClient(DevModeProfile.EXECUTOR_PORT).awaitRunById(runId, run -> run.path("status").asText()
                .equalsIgnoreCase("cancelled"), WAIT);
        assertThat(runUpdates(commandId, 2)).extracting(u -> u.path("status").asText()).contains("CANCELLED");
        given().auth().oauth2(operator).post("/api/runs/{id}/cancel", runId).then().statusCode(409);
    }

    @Test
    void aLambdaStepIsInvokedThroughTheInvokeApiWithTheAttemptsKey() throws Exception {
        String suffix = suffix();
        String function = "payout-fn-" + suffix;
        lambda.stubFor(WireMock.post(WireMock.urlPathEqualTo("/2015-03-31/functions/" + function + "/invocations"))
                .willReturn(WireMock.okJson("{\"output\": {\"matched\": 3}}")));
        String step = "lambda_match_" + suffix;
        publish(CatalogKind.STEP, step, "1.0.0", """
                {"name": "%s", "version": "1.0.0", "binding": {"type": "lambda", "function": "%s"},
                 "input": {"type": "object"}, "output": {"type": "object", "required": ["matched"]}}
                """.formatted(step, function));
        String workflow = "lambda_flow_" + suffix;
        publish(CatalogKind.WORKFLOW, workflow, "1", """
                {"name": "%s", "version": 1, "command": "test.lambda.%s", "start": "MATCH",
                 "steps": {"MATCH": {"uses": "%s@^1", "with": {"payout_id": "$.input.payout_id"}}},
                 "end": ["MATCH"], "output": {"matched": "$.steps.MATCH.output.matched"}}
                """.formatted(workflow, suffix, step));
        awaitCached(step, "1.0.0");
        awaitCached(workflow, "1");
        UUID commandId = command(workflow, "{\"payout_id\": \"p1\"}");
        JsonNode done = awaitRun(commandId, run -> run.path("status").asText().equals("completed"));
        assertThat(done.path("output").path("matched").asInt()).isEqualTo(3);
        var requests = lambda.findAll(WireMock.postRequestedFor(WireMock.urlPathEqualTo("/2015-03-31/functions/"
                + function + "/invocations")));
        assertThat(requests).hasSize(1);
        JsonNode payload = json.readTree(requests.get(0).getBodyAsString());
        assertThat(payload.path("input").path("payout_id").asText()).isEqualTo("p1");
        assertThat(payload.path("context").path("idempotencyKey").asText()).isEqualTo(done.path("runId").asText()
                + ":MATCH:1:0");
    }

    @Test
    void aLambdaFunctionErrorAndThrottlingAreRetriedWithTheStepsBackoff() throws Exception {
        String suffix = suffix();
        String function = "flaky-fn-" + suffix;
        String path = "/2015-03-31/functions/" + function + "/invocations";
        String scenario = "flaky-" + suffix;
        lambda.stubFor(WireMock.post(WireMock.urlPathEqualTo(path)).inScenario(scenario).whenScenarioStateIs(
                com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED).willReturn(
                        WireMock.okJson(
                                "{\"errorMessage\": \"boom\", \"errorType\": \"RuntimeError\"}").withHeader(
                                        "X-Amz-Function-Error", "Unhandled"))
                .willSetStateTo("throttled"));
        lambda.stubFor(WireMock.post(WireMock.urlPathEqualTo(path)).inScenario(scenario).whenScenarioStateIs(
                "throttled").willReturn(
                        WireMock.aResponse().withStatus(429).withHeader("x-amzn-ErrorType",
                                "TooManyRequestsException").withHeader("Content-Type", "application/json").withBody(
                                        "{\"Type\": \"User\", \"message\": \"Rate exceeded\"}"))
                .willSetStateTo("ok"));
        lambda.stubFor(WireMock.post(WireMock.urlPathEqualTo(path)).inScenario(scenario).whenScenarioStateIs("ok")
                .willReturn(WireMock.okJson("{\"output\": {\"matched\": 1}}")));
        String step = "lambda_flaky_" + suffix;
        publish(CatalogKind.STEP, step, "1.0.0", """
                {"name": "%s", "version": "1.0.0", "binding": {"type": "lambda", "function": "%s"},
                 "input": {"type": "object"}, "output": {"type": "object", "required": ["matched"]},
                 "retry": {"maxAttempts": 5, "backoff": {"initialInterval": "100ms"}}}
                """.formatted(step, function));
        String workflow = "lambda_flaky_flow_" + suffix;
        publish(CatalogKind.WORKFLOW, workflow, "1", """
                {"name": "%s", "version": 1, "command": "test.lambda.flaky.%s", "start": "MATCH",
                 "steps": {"MATCH": {"uses": "%s@^1"}}, "end": ["MATCH"]}
                """.formatted(workflow, suffix, step));
        awaitCached(step, "1.0.0");
        awaitCached(workflow, "1");
        UUID commandId = command(workflow, "{}");
        JsonNode done = awaitRun(commandId, run -> run.path("status").asText().equals("completed"));
        List<JsonNode> match = attempts(done, "MATCH");
        assertThat(match).extracting(a -> a.path("status").asText()).containsExactly("failed", "failed",
                "succeeded");
        assertThat(match.get(0).path("error").path("code").asText()).isEqualTo("flowline.unavailable");
        assertThat(match.get(0).path("error").path("message").asText()).contains("Unhandled");
        assertThat(match.get(1).path("error").path("message").asText()).contains("TooManyRequestsException");
        assertThat(lambda.findAll(WireMock.postRequestedFor(WireMock.urlPathEqualTo(path)))).hasSize(3);
    }

    @Test
    void anUnhandledExceptionTheStepReportsIsRetriedAndItsOtherSystemErrorsFailTheRunAsSuch() throws Exception {
        Payout flaky = new Payout("step_exception");
        flaky.allSucceed();
        java.util.concurrent.atomic.AtomicInteger pushes = new java.util.concurrent.atomic.AtomicInteger();
        // What the Python SDK answers for an exception the step code did not expect: once, then it works.
        steps.on(flaky.path("push"), in -> pushes.getAndIncrement() == 0
                ? StepEndpoints.Answer.error("flowline.step-exception", null)
                : StepEndpoints.Answer.output("{\"pushed\": true}"));
        flaky.publish(1);
        JsonNode done = awaitRun(command(flaky.workflow, "{\"payout_id\": \"p1\"}"), run -> run.path("status")
                .asText().equals("completed"));
        assertThat(attempts(done, "PUSH")).extracting(a -> a.path("status").asText()).containsExactly("failed",
                "succeeded");
        assertThat(attempts(done, "PUSH").get(0).path("error").path("code").asText()).isEqualTo(
                "flowline.step-exception");

        // The SDK's own check of the output: a system error, not retried, not confused with a declared code.
        Payout invalid = new Payout("sdk_check");
        invalid.allSucceed();
        steps.on(invalid.path("push"), in -> StepEndpoints.Answer.error("flowline.invalid-output", null));
        invalid.publish(1);
        JsonNode failed = awaitRun(command(invalid.workflow, "{\"payout_id\": \"p1\"}"), run -> run.path("status")
                .asText().equals("failed"));
        assertThat(attempts(failed, "PUSH")).hasSize(1);
        assertThat(attempts(failed, "PUSH").get(0).path("error").path("code").asText()).isEqualTo(
                "flowline.invalid-output");
        assertThat(attempts(failed, "PUSH").get(0).path("error").path("system").asBoolean()).isTrue();
    }

    // ---- the payout workflow of these tests ----

    /** A payout workflow with its own names, so tests never see each other's runs. */
    private final class Payout {
        final String suffix = suffix();
        final String workflow;

        Payout(String name) {
            this.workflow = "payout_" + name + "_" + suffix;
        }

        String path(String step) {
            return "/" + workflow + "/" + step;
        }

        void allSucceed() {
            steps.on(path("fetch"), in -> StepEndpoints.Answer.output("{\"amount\": " + in.path("input").path(
                    "payout_id").asText().length() * 1000 + ", \"currency\": \"EUR\"}"));
            steps.on(path("check"), in -> StepEndpoints.Answer.output("{\"ok\": true}"));
            steps.on(path("review"), in -> StepEndpoints.Answer.output("{\"reviewed\": true}"));
            steps.on(path("push"), in -> StepEndpoints.Answer.output("{\"pushed\": true}"));
        }

        /** The check fails with UNMATCHED_BOOKING unless its input names a booking. */
        void unmatchedUnlessPatched() {
            steps.on(path("check"), in -> in.path("input").has("booking_id")
                    ? StepEndpoints.Answer.output("{\"ok\": true}")
                    : StepEndpoints.Answer.error("UNMATCHED_BOOKING", "{\"transaction_id\": \"t-1\"}"));
        }

        void publish(int version) throws Exception {
            if (version == 1) {
                stepDefinition("fetch", "{\"type\": \"object\", \"properties\": {\"payout_id\": {\"type\": "
                        + "\"string\"}}, \"required\": [\"payout_id\"]}",
                        "{\"type\": \"object\", \"required\": "
                                + "[\"amount\"]}",
                        "[]");
                stepDefinition("check", "{\"type\": \"object\", \"properties\": {\"amount\": {\"type\": "
                        + "\"number\"}, \"booking_id\": {\"type\": \"string\"}}}",
                        "{\"type\": \"object\", "
                                + "\"properties\": {\"ok\": {\"type\": \"boolean\"}}, \"required\": [\"ok\"]}",
                        "[{\"code\": \"UNMATCHED_BOOKING\", \"message\": \"no booking\", \"data\": {\"type\": "
                                + "\"object\", \"required\": [\"transaction_id\"]}}]");
                stepDefinition("review", "{\"type\": \"object\"}", "{\"type\": \"object\"}", "[]");
                stepDefinition("push", "{\"type\": \"object\", \"properties\": {\"payout_id\": {\"type\": "
                        + "\"string\"}}, \"required\": [\"payout_id\"]}", "{\"type\": \"object\"}",
                        "[{\"code\": \"XERO_DOWN\", \"message\": \"Xero is down\", \"retryable\": false}]");
            }
            WorkflowRunnerTest.this.publish(CatalogKind.WORKFLOW, workflow, String.valueOf(version), """
                    {"name": "%s", "version": %d, "command": "test.payouts.%s",
                     "input": {"type": "object", "properties": {"payout_id": {"type": "string"}},
                               "required": ["payout_id"]},
                     "start": "FETCH",
                     "steps": {
                       "FETCH": {"uses": "%s_fetch@^1", "with": {"payout_id": "$.input.payout_id"}, "next": "CHECK"},
                       "CHECK": {"uses": "%s_check@^1", "with": {"amount": "$.steps.FETCH.output.amount"},
                                 "onError": {"UNMATCHED_BOOKING": "task"},
                                 "next": [{"when": {"steps.FETCH.output.amount": {"gt": 5000}}, "to": "REVIEW"},
                                          {"to": "PUSH"}]},
                       "REVIEW": {"uses": "%s_review@^1", "next": "PUSH"},
                       "PUSH": {"uses": "%s_push@^1", "with": {"payout_id": "$.input.payout_id"},
                                "onError": {"XERO_DOWN": "fail"}}
                     },
                     "end": ["PUSH"],
                     "output": {"pushed": "$.steps.PUSH.output.pushed", "version": %d}}
                    """.formatted(workflow, version, suffix, workflow, workflow, workflow, workflow, version));
            awaitCached(workflow, String.valueOf(version));
        }

        private void stepDefinition(String step, String input, String output, String errors) throws Exception {
            String name = workflow + "_" + step;
            WorkflowRunnerTest.this.publish(CatalogKind.STEP, name, "1.0.0", """
                    {"name": "%s", "version": "1.0.0", "binding": {"type": "http", "url": "%s"},
                     "input": %s, "output": %s, "errors": %s,
                     "retry": {"maxAttempts": 2, "backoff": {"initialInterval": "100ms"}}, "timeout": "10s"}
                    """.formatted(name, steps.url(path(step)), input, output, errors));
            awaitCached(name, "1.0.0");
        }
    }

    // ---- helpers ----

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void publish(CatalogKind kind, String name, String version, String definition) throws Exception {
        CatalogChange change = new CatalogChange(UUID.randomUUID(), kind, name, version, CatalogChange.Status.PUBLISHED,
                json.readTree(definition), Instant.now());
        KafkaTestClient.sendMessage(Topics.CATALOG_CHANGES, change.key(), json.writeValueAsString(change),
                CatalogChange.MESSAGE_TYPE, change.messageId());
    }

    /** Waits until the bridge's catalog cache has the definition (it is fed by catalog-changes). */
    private void awaitCached(String name, String version) {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            Long found = countCached(name, version);
            if (found != null && found > 0) {
                return;
            }
            sleep(100);
        }
        throw new AssertionError(name + "@" + version + " never reached the catalog cache");
    }

    private Long countCached(String name, String version) {
        try {
            return io.quarkus.vertx.VertxContextSupport
                    .subscribeAndAwait(() -> io.quarkus.hibernate.reactive.panache.Panache
                            .withSession(() -> dev.flowline.catalogcache.CatalogCacheEntry.count(
                                    "key.name = ?1 and key.version = ?2", name, version)));
        } catch (Throwable e) {
            return null;
        }
    }

    private UUID command(String workflow, String parameters) throws Exception {
        UUID commandId = UUID.randomUUID();
        sendCommand(commandId, workflow, parameters);
        return commandId;
    }

    private void sendCommand(UUID commandId, String workflow, String parameters) throws Exception {
        WorkflowCommand command = new WorkflowCommand(commandId, workflow, null, json.readTree(parameters),
                new WorkflowCommand.Source(WorkflowCommand.SourceType.API, "tester", null, null, null, null),
                Instant.now());
        KafkaTestClient.sendMessage(Topics.WORKFLOW_COMMANDS, commandId.toString(), json.writeValueAsString(command),
                WorkflowCommand.MESSAGE_TYPE, UUID.randomUUID());
    }

    private void resolve(String correlationKey, TaskResolved.Resolution resolution, String input, String output,
            String reason) throws Exception {
        TaskResolved resolved = new TaskResolved(UUID.randomUUID(), UUID.randomUUID(), 1, correlationKey, resolution,
                input == null ? null : json.readTree(input), output == null ? null : json.readTree(output), reason,
                "otto", Instant.now());
        KafkaTestClient.sendMessage(Topics.TASK_EVENTS, resolved.taskId().toString(), json.writeValueAsString(
                resolved), TaskResolved.MESSAGE_TYPE, resolved.messageId());
    }

    /** The run a command started, once {@code until} holds. */
    private JsonNode awaitRun(UUID commandId, Predicate<JsonNode> until) {
        Instant deadline = Instant.now().plus(WAIT);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            JsonNode page = given().auth().oauth2(viewer).queryParam("command", commandId.toString()).get(
                    "/api/runs").then().statusCode(200).extract().as(JsonNode.class);
            if (page.path("items").size() > 0) {
                last = given().auth().oauth2(viewer).get("/api/runs/{id}", page.path("items").get(0).path("runId")
                        .asText()).then().statusCode(200).extract().as(JsonNode.class);
                if (until.test(last)) {
                    return last;
                }
            }
            sleep(200);
        }
        throw new AssertionError("the run of command " + commandId + " is not as expected; last seen: " + last);
    }

    private JsonNode awaitRunById(String runId, Predicate<JsonNode> until) {
        Instant deadline = Instant.now().plus(WAIT);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            var response = given().auth().oauth2(viewer).get("/api/runs/{id}", runId);
            if (response.statusCode() == 200) {
                last = response.as(JsonNode.class);
                if (until.test(last)) {
                    return last;
                }
            }
            sleep(200);
        }
        throw new AssertionError("run " + runId + " is not as expected; last seen: " + last);
    }

    private JsonNode awaitingTask(UUID commandId) throws Exception {
        String runId = awaitRun(commandId, run -> true).path("runId").asText();
        ConsumerRecord<String, String> record = KafkaTestClient.awaitRecord(Topics.WORKFLOW_LIFECYCLE,
                r -> runId.equals(r.key()) && StepAwaitingTask.MESSAGE_TYPE.equals(KafkaTestClient.header(r,
                        MessageHeaders.MESSAGE_TYPE)),
                WAIT);
        return json.readTree(record.value());
    }

    private List<JsonNode> runUpdates(UUID commandId, int atLeast) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        List<JsonNode> updates = List.of();
        while (Instant.now().isBefore(deadline) && updates.size() < atLeast) {
            updates = KafkaTestClient.readAll(Topics.WORKFLOW_LIFECYCLE, r -> commandId.toString().equals(r.key())
                    && WorkflowRunUpdate.MESSAGE_TYPE.equals(KafkaTestClient.header(r, MessageHeaders.MESSAGE_TYPE)),
                    Duration.ofSeconds(2)).stream().map(r -> {
                        try {
                            return json.readTree(r.value());
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }).toList();
        }
        return updates;
    }

    private static List<String> stepIds(JsonNode run) {
        List<String> ids = new java.util.ArrayList<>();
        run.path("steps").forEach(s -> {
            String id = s.path("stepId").asText();
            if (ids.isEmpty() || !ids.get(ids.size() - 1).equals(id)) {
                ids.add(id);
            }
        });
        return ids;
    }

    private static List<JsonNode> attempts(JsonNode run, String stepId) {
        List<JsonNode> found = new java.util.ArrayList<>();
        run.path("steps").forEach(s -> {
            if (s.path("stepId").asText().equals(stepId)) {
                found.add(s);
            }
        });
        return found;
    }
}
