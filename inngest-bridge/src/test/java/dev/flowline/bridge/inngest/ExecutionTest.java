package dev.flowline.bridge.inngest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.flowline.inngest.protocol.StepIds;

/** The SDK's side of one call request, without HTTP: which ops, status and headers a function's state produces. */
class ExecutionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicInteger charged = new AtomicInteger();
    private final List<JsonNode> sent = new ArrayList<>();

    private final InngestFunction payout = InngestFunction.of("payout", InngestFunction.Trigger.event("payout/due"),
            ctx -> {
                String invoice = ctx.step().run("charge-card", String.class, () -> {
                    charged.incrementAndGet();
                    return "inv-" + ctx.event().path("data").path("id").asText();
                });
                ctx.step().sleep("cool-down", Duration.ofSeconds(90));
                var approval = ctx.step().waitForEvent("wait-for-approval", "payout/approved",
                        Duration.ofHours(1), "async.data.invoice == '" + invoice + "'");
                List<String> ids = ctx.step().sendEvent("announce", List.of(Map.of("name", "payout/done",
                        "data", Map.of("invoice", invoice))));
                return Map.of("invoice", invoice, "approved", approval.isPresent(), "sent", ids.size());
            });

    private CallResult call(InngestFunction fn, String stepId, ObjectNode steps, int attempt, boolean planned) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("event").put("name", "payout/due").putObject("data").put("id", "42");
        body.putArray("events").add(body.get("event"));
        body.set("steps", steps);
        body.putObject("ctx").put("run_id", "run-1").put("attempt", attempt)
                .put("disable_immediate_execution", planned).put("max_attempts", 3);
        return new Execution(fn, CallRequest.parse(body, 4), stepId, JSON, events -> {
            sent.addAll(events);
            return List.of("evt-1");
        }).execute();
    }

    private static ObjectNode memo() {
        return JSON.createObjectNode();
    }

    private static ObjectNode data(ObjectNode steps, String id, JsonNode value) {
        steps.putObject(StepIds.hash(id)).set("data", value);
        return steps;
    }

    @Test
    void aStepErrorCarriesItsDataAndCauseToTheServerAndBackToTheCatchingCode() {
        InngestFunction typed = InngestFunction.of("typed", InngestFunction.Trigger.event("t"), ctx -> {
            try {
                ctx.step().run("validate", () -> {
                    throw new NonRetriableException("no Xero name", JSON.createObjectNode().put("code",
                            "MISSING_XERO_NAME"), new IllegalStateException("lookup empty"));
                });
                return Map.of("caught", false);
            } catch (StepError e) {
                return Map.of("code", e.data().path("code").asText(), "cause", e.errorCause().path("message")
                        .asText());
            }
        });
        JsonNode failed = call(typed, "step", memo(), 0, false).body().get(0);
        assertThat(failed.path("op").asText()).isEqualTo("StepFailed");
        assertThat(failed.path("error").path("data").path("code").asText()).isEqualTo("MISSING_XERO_NAME");
        assertThat(failed.path("error").path("cause").path("message").asText()).isEqualTo("lookup empty");
        ObjectNode steps = memo();
        steps.putObject(StepIds.hash("validate")).set("error", failed.path("error"));
        CallResult caught = call(typed, "step", steps, 0, false);
        assertThat(caught.status()).isEqualTo(200);
        assertThat(caught.body().path("code").asText()).isEqualTo("MISSING_XERO_NAME");
        assertThat(caught.body().path("cause").asText()).isEqualTo("lookup empty");
    }

    @Test
    void aNewRunStepRunsAtOnceAndIsReportedWithItsResult() {
        CallResult result = call(payout, "step", memo(), 0, false);
        assertThat(result.status()).isEqualTo(206);
        JsonNode op = result.body().get(0);
        assertThat(op.path("op").asText()).isEqualTo("StepRun");
        assertThat(op.path("id").asText()).isEqualTo(StepIds.hash("charge-card"));
        assertThat(op.path("data").asText()).isEqualTo("inv-42");
        assertThat(op.path("displayName").asText()).isEqualTo("charge-card");
        assertThat(charged).hasValue(1);
        assertThat(result.headers()).containsEntry("X-Inngest-Req-Version", "2").containsKey("X-Inngest-Sdk");
    }

    @Test
    void afterParallelPlanningARunStepIsOnlyPlannedThenRunWhenAskedFor() {
        CallResult planned = call(payout, "step", memo(), 0, true);
        assertThat(planned.body().get(0).path("op").asText()).isEqualTo("StepPlanned");
        assertThat(charged).hasValue(0);
        CallResult ran = call(payout, StepIds.hash("charge-card"), memo(), 0, true);
        assertThat(ran.body().get(0).path("op").asText()).isEqualTo("StepRun");
        assertThat(charged).hasValue(1);
    }

    @Test
    void memoizedStepsAreNotRunAgainAndTheNextStepIsReported() {
        ObjectNode steps = data(memo(), "charge-card", JSON.getNodeFactory().textNode("inv-42"));
        CallResult sleep = call(payout, "step", steps, 0, false);
        assertThat(charged).hasValue(0);
        JsonNode op = sleep.body().get(0);
        assertThat(op.path("op").asText()).isEqualTo("Sleep");
        assertThat(op.path("opts").path("duration").asText()).isEqualTo("1m30s");
        assertThat(op.path("name").asText()).isEqualTo("1m30s");

        data(steps, "cool-down", JSON.nullNode());
        CallResult wait = call(payout, "step", steps, 0, false);
        JsonNode waitOp = wait.body().get(0);
        assertThat(waitOp.path("op").asText()).isEqualTo("WaitForEvent");
        assertThat(waitOp.path("name").asText()).isEqualTo("payout/approved");
        assertThat(waitOp.path("opts").path("event").asText()).isEqualTo("payout/approved");
        assertThat(waitOp.path("opts").path("timeout").asText()).isEqualTo("1h");
        assertThat(waitOp.path("opts").path("if").asText()).isEqualTo("async.data.invoice == 'inv-42'");

        data(steps, "wait-for-approval", JSON.nullNode());
        CallResult send = call(payout, "step", steps, 0, false);
        JsonNode sendOp = send.body().get(0);
        assertThat(sendOp.path("op").asText()).isEqualTo("StepRun");
        assertThat(sendOp.path("name").asText()).isEqualTo("sendEvent");
        assertThat(sendOp.path("data").path("ids").get(0).asText()).isEqualTo("evt-1");
        assertThat(sent).hasSize(1);

        data(steps, "announce", sendOp.path("data"));
        CallResult done = call(payout, "step", steps, 0, false);
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.body().path("invoice").asText()).isEqualTo("inv-42");
        assertThat(done.body().path("approved").asBoolean()).isFalse();
        assertThat(done.body().path("sent").asInt()).isEqualTo(1);
        assertThat(sent).hasSize(1);
    }

    @Test
    void aFailingStepIsRetriedUntilItsLastAttemptThenFailsForGood() {
        InngestFunction flaky = InngestFunction.of("flaky", InngestFunction.Trigger.event("x"), ctx -> ctx.step()
                .run("call-xero", () -> {
                    throw new IllegalStateException("Xero is down");
                }));
        CallResult first = call(flaky, "step", memo(), 0, false);
        assertThat(first.status()).isEqualTo(206);
        assertThat(first.body().get(0).path("op").asText()).isEqualTo("StepError");
        assertThat(first.body().get(0).path("error").path("message").asText()).isEqualTo("Xero is down");
        assertThat(first.headers()).containsEntry("X-Inngest-No-Retry", "false");

        CallResult last = call(flaky, "step", memo(), 2, false);
        assertThat(last.body().get(0).path("op").asText()).isEqualTo("StepFailed");
        assertThat(last.headers()).containsEntry("X-Inngest-No-Retry", "true");
    }

    @Test
    void aNonRetriableErrorFailsAtOnceAndAnUnhandledStepFailureFailsTheRun() {
        InngestFunction refusing = InngestFunction.of("refusing", InngestFunction.Trigger.event("x"), ctx -> ctx
                .step().run("validate", () -> {
                    throw new NonRetriableException("booking 42 does not exist");
                }));
        CallResult failed = call(refusing, "step", memo(), 0, false);
        assertThat(failed.body().get(0).path("op").asText()).isEqualTo("StepFailed");
        assertThat(failed.body().get(0).path("error").path("name").asText()).isEqualTo("NonRetriableError");

        ObjectNode steps = memo();
        steps.putObject(StepIds.hash("validate")).putObject("error").put("name", "NonRetriableError")
                .put("message", "booking 42 does not exist");
        CallResult run = call(refusing, "step", steps, 0, false);
        assertThat(run.status()).isEqualTo(400);
        assertThat(run.headers()).containsEntry("X-Inngest-No-Retry", "true");
        assertThat(run.body().path("message").asText()).isEqualTo("booking 42 does not exist");
    }

    @Test
    void aFunctionErrorIsRetriableUntilTheLastAttempt() {
        InngestFunction broken = InngestFunction.of("broken", InngestFunction.Trigger.event("x"), ctx -> {
            throw new IllegalArgumentException("bad input");
        });
        CallResult retried = call(broken, "step", memo(), 0, false);
        assertThat(retried.status()).isEqualTo(500);
        assertThat(retried.headers()).containsEntry("X-Inngest-No-Retry", "false");
        CallResult last = call(broken, "step", memo(), 2, false);
        assertThat(last.status()).isEqualTo(400);
        assertThat(last.headers()).containsEntry("X-Inngest-No-Retry", "true");
    }

    @Test
    void aStepAskedForButNotReachedIsReportedAsNotFound() {
        CallResult result = call(payout, StepIds.hash("renamed-step"), memo(), 0, true);
        assertThat(result.status()).isEqualTo(500);
        assertThat(result.body().path("requestedStep").asText()).isEqualTo(StepIds.hash("renamed-step"));
        assertThat(charged).hasValue(0);
    }

    /** What a checkpointer was given, and what it did when the run's body asked. */
    private final List<Checkpointer.Checkpoint> checkpoints = new ArrayList<>();
    private final List<String> happened = new ArrayList<>();

    /** Steps one, two and three (each recording that it ran), then a sleep. */
    private final InngestFunction threeSteps = InngestFunction.of("three", InngestFunction.Trigger.event("x"), ctx -> {
        for (String id : List.of("one", "two", "three")) {
            ctx.step().run(id, String.class, () -> {
                happened.add("ran " + id);
                return id + "-done";
            });
        }
        ctx.step().sleep("rest", Duration.ofMinutes(1));
        return null;
    });

    private CallResult checkpointed(InngestFunction fn, ObjectNode steps, boolean planned, String queueItem,
            CheckpointPolicy policy, Checkpointer checkpointer) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("event").put("name", "x").putObject("data");
        body.set("steps", steps);
        ObjectNode ctx = body.putObject("ctx").put("run_id", "run-7").put("fn_id", "fn-uuid").put("attempt", 0)
                .put("disable_immediate_execution", planned).put("max_attempts", 3);
        if (queueItem != null) {
            ctx.put("qi_id", queueItem);
        }
        return new Execution(fn, CallRequest.parse(body, 4), "step", JSON, events -> List.of(), checkpointer, policy)
                .execute();
    }

    private final Checkpointer recording = checkpoint -> {
        checkpoints.add(checkpoint);
        List<String> ids = new ArrayList<>();
        checkpoint.steps().forEach(op -> ids.add(op.path("displayName").asText()));
        happened.add("checkpointed " + String.join(",", ids));
    };

    private static CheckpointPolicy buffering(int steps) {
        return new CheckpointPolicy(true, steps, Duration.ofSeconds(10));
    }

    private static List<String> ops(CallResult result) {
        List<String> ops = new ArrayList<>();
        result.body().forEach(op -> ops.add(op.path("op").asText() + " " + op.path("displayName").asText()));
        return ops;
    }

    @Test
    void withCheckpointingTheStepsGoOnInOneCallAndEachIsCheckpointedBeforeTheNextRuns() {
        CallResult result = checkpointed(threeSteps, memo(), false, "qi-1", buffering(1), recording);

        assertThat(happened).containsExactly("ran one", "checkpointed one", "ran two", "checkpointed two", "ran three",
                "checkpointed three");
        assertThat(ops(result)).containsExactly("Sleep rest");
        Checkpointer.Checkpoint first = checkpoints.get(0);
        assertThat(first.runId()).isEqualTo("run-7");
        assertThat(first.functionId()).isEqualTo("fn-uuid");
        assertThat(first.queueItemId()).isEqualTo("qi-1");
        JsonNode op = first.steps().get(0);
        assertThat(op.path("op").asText()).isEqualTo("StepRun");
        assertThat(op.path("id").asText()).isEqualTo(StepIds.hash("one"));
        assertThat(op.path("data").asText()).isEqualTo("one-done");
    }

    @Test
    void bufferedStepsAreCheckpointedTogetherAndTheRestTravelWithTheAnswer() {
        CallResult result = checkpointed(threeSteps, memo(), false, "qi-1", buffering(2), recording);

        assertThat(happened).containsExactly("ran one", "ran two", "checkpointed one,two", "ran three");
        assertThat(result.status()).isEqualTo(206);
        assertThat(ops(result)).containsExactly("StepRun three", "Sleep rest");
    }

    @Test
    void aStepErrorAfterStepsThatRanInTheCallIsAnsweredAfterThem() {
        InngestFunction flaky = InngestFunction.of("flaky", InngestFunction.Trigger.event("x"), ctx -> {
            ctx.step().run("fetch", () -> "booking-42");
            return ctx.step().run("push", () -> {
                throw new IllegalStateException("Xero is down");
            });
        });
        CallResult result = checkpointed(flaky, memo(), false, "qi-1", buffering(5), recording);

        assertThat(checkpoints).isEmpty();
        assertThat(ops(result)).containsExactly("StepRun fetch", "StepError push");
    }

    @Test
    void whenTheCodeReturnsItsStepsAreCheckpointedBeforeTheResultIsAnswered() {
        InngestFunction twoSteps = InngestFunction.of("two", InngestFunction.Trigger.event("x"), ctx -> {
            String a = ctx.step().run("a", String.class, () -> "A");
            String b = ctx.step().run("b", String.class, () -> "B");
            return Map.of("result", a + b);
        });
        CallResult result = checkpointed(twoSteps, memo(), false, "qi-1", buffering(5), recording);

        assertThat(happened).containsExactly("checkpointed a,b");
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.body().path("result").asText()).isEqualTo("AB");
    }

    @Test
    void aCheckpointInngestRefusesEndsTheCallWithItsStepsAnsweredInstead() {
        CallResult result = checkpointed(threeSteps, memo(), false, "qi-1", buffering(1), checkpoint -> {
            throw new java.io.IOException("connection refused");
        });

        assertThat(happened).containsExactly("ran one");
        assertThat(result.status()).isEqualTo(206);
        assertThat(ops(result)).containsExactly("StepRun one");
    }

    @Test
    void aStaleDispatchStopsTheCallWithoutAnotherStepAndWithoutARetry() {
        CallResult result = checkpointed(threeSteps, memo(), false, "qi-1", buffering(1), checkpoint -> {
            throw new Checkpointer.StaleDispatch("the call no longer holds run run-7");
        });

        assertThat(happened).containsExactly("ran one");
        assertThat(result.status()).isEqualTo(400);
        assertThat(result.headers()).containsEntry("X-Inngest-No-Retry", "true");
        assertThat(result.body().path("name").asText()).isEqualTo("StaleDispatch");
    }

    @Test
    void aCallPastItsMaximumRuntimeAnswersTheNextStepAsWithoutCheckpointing() {
        InngestFunction slow = InngestFunction.of("slow", InngestFunction.Trigger.event("x"), ctx -> {
            ctx.step().run("slow", () -> {
                Thread.sleep(60);
                return "done";
            });
            ctx.step().run("next", () -> "next-done");
            ctx.step().run("never", () -> {
                happened.add("ran never");
                return null;
            });
            return null;
        });
        CallResult result = checkpointed(slow, memo(), false, "qi-1", new CheckpointPolicy(true, 1, Duration
                .ofMillis(30)), recording);

        assertThat(happened).containsExactly("checkpointed slow");
        assertThat(ops(result)).containsExactly("StepRun next");
    }

    @Test
    void aCallThatMustPlanItsStepsOrHasNoQueueItemRunsOneStepWithoutCheckpointing() {
        CallResult planned = checkpointed(threeSteps, memo(), true, "qi-1", buffering(1), recording);
        assertThat(ops(planned)).containsExactly("StepPlanned one");

        CallResult unfenced = checkpointed(threeSteps, memo(), false, null, buffering(1), recording);
        assertThat(ops(unfenced)).containsExactly("StepRun one");
        assertThat(checkpoints).isEmpty();
        assertThat(happened).containsExactly("ran one");
    }
}
