package dev.flowline.bridge.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The conformance scenarios and their expected outcomes, for an app whose functions have ids
 * {@code <prefix>steps}, {@code <prefix>wait}, … (the Java app and the TypeScript app alike).
 */
public final class Scenarios {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private final ExecutorClient executor;
    private final String prefix;
    private final boolean checkpointing;

    public Scenarios(ExecutorClient executor, String prefix) {
        this(executor, prefix, false);
    }

    /** With {@code checkpointing}, the app reports the steps it runs during a call (the official SDK's default). */
    public Scenarios(ExecutorClient executor, String prefix, boolean checkpointing) {
        this.executor = executor;
        this.prefix = prefix;
        this.checkpointing = checkpointing;
    }

    /** Waits until the app's sync reached the executor (the function is known). */
    public static void awaitSynced(ExecutorClient executor, String functionId) {
        java.time.Instant deadline = java.time.Instant.now().plus(WAIT);
        while (executor.get("/dev/functions/" + functionId) == null) {
            if (java.time.Instant.now().isAfter(deadline)) {
                throw new AssertionError(functionId + " was never synced");
            }
            ExecutorClient.sleep(200);
        }
    }

    /** A ULID no run has: its time part is the largest there is. */
    private static final String UNKNOWN_RUN = "7ZZZZZZZZZZZZZZZZZZZZZZZZZ";

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private static boolean ended(JsonNode run) {
        return !run.path("status").asText().matches("queued|running|waiting");
    }

    public void stepsRunOnceEachAcrossASleep() {
        String id = id();
        executor.send("{\"name\": \"conformance/steps\", \"id\": \"" + id + "\", \"data\": {\"pause\": 1}}");
        JsonNode run = executor.awaitRun(prefix + "steps", id, Scenarios::ended, WAIT);
        assertThat(run.path("status").asText()).isEqualTo("completed");
        // Each step reports how often its body ran: once.
        assertThat(run.path("output").path("result").asText()).isEqualTo("A1B1C1");
        assertThat(run.path("steps").findValuesAsText("op")).contains("Sleep");
        // Checkpointing: the three steps were reported while their calls went on (two calls: up to the sleep, after
        // it), not each answered by a call of its own.
        List<String> stepRuns = new ArrayList<>();
        run.path("steps").forEach(step -> {
            if (step.path("op").asText().equals("StepRun")) {
                stepRuns.add(step.path("displayName").asText() + "=" + step.path("checkpointed").asBoolean());
            }
        });
        assertThat(stepRuns).containsExactly("a=" + checkpointing, "b=" + checkpointing, "c=" + checkpointing);
        // The SDK answered request version 2 on the first call (the server sent -1: "the SDK decides").
        assertThat(run.path("requestVersion").asInt()).isEqualTo(2);
    }

    public void waitForEventIsResolvedByAMatchingEvent() {
        String id = id();
        String ref = id();
        executor.send("{\"name\": \"conformance/wait\", \"id\": \"" + id + "\", \"data\": {\"ref\": \"" + ref
                + "\", \"timeoutSeconds\": 60}}");
        executor.awaitRun(prefix + "wait", id, run -> run.path("status").asText().equals("waiting"), WAIT);
        executor.send("{\"name\": \"conformance/approved\", \"data\": {\"ref\": \"other\", \"by\": \"intruder\"}}");
        executor.send("{\"name\": \"conformance/approved\", \"data\": {\"ref\": \"" + ref + "\", \"by\": \"ops\"}}");
        JsonNode run = executor.awaitRun(prefix + "wait", id, Scenarios::ended, WAIT);
        assertThat(run.path("status").asText()).isEqualTo("completed");
        assertThat(run.path("output").path("approved").asBoolean()).isTrue();
        assertThat(run.path("output").path("by").asText()).isEqualTo("ops");
    }

    public void waitForEventTimesOut() {
        String id = id();
        executor.send("{\"name\": \"conformance/wait\", \"id\": \"" + id + "\", \"data\": {\"ref\": \"" + id()
                + "\", \"timeoutSeconds\": 1}}");
        JsonNode run = executor.awaitRun(prefix + "wait", id, Scenarios::ended, WAIT);
        assertThat(run.path("status").asText()).isEqualTo("completed");
        assertThat(run.path("output").path("approved").asBoolean()).isFalse();
        assertThat(run.path("output").path("by").asText()).isEqualTo("nobody");
    }

    public void sendEventReachesTheEventApi() {
        String id = id();
        String ref = id();
        executor.send("{\"name\": \"conformance/send\", \"id\": \"" + id + "\", \"data\": {\"ref\": \"" + ref
                + "\"}}");
        JsonNode run = executor.awaitRun(prefix + "send", id, Scenarios::ended, WAIT);
        assertThat(run.path("status").asText()).isEqualTo("completed");
        // The Event API answers its own id of the stored event, not the id the function sent.
        String sent = run.path("output").path("sent").get(0).asText();
        assertThat(sent).isNotBlank().isNotEqualTo("announced-" + ref);
        JsonNode event = executor.get("/v1/events/" + sent).path("data");
        assertThat(event.path("internal_id").asText()).as("the sent event was received").isEqualTo(sent);
        assertThat(event.path("id").asText()).isEqualTo("announced-" + ref);
        assertThat(event.path("data").path("ref").asText()).isEqualTo(ref);
    }

    /**
     * The REST API in Inngest's shapes: the event by the id the Event API answered, the runs it started, the run,
     * the event list and the app's functions; ids that are no ULIDs are refused.
     */
    public void theRestApiAnswersInInngestsShapes() {
        String id = id();
        String ref = id();
        JsonNode accepted = executor.send("{\"name\": \"conformance/send\", \"id\": \"" + id
                + "\", \"data\": {\"ref\": \"" + ref + "\"}}");
        String internalId = accepted.path("ids").get(0).asText();
        assertThat(internalId).hasSize(26).isNotEqualTo(id);

        JsonNode event = executor.get("/v1/events/" + internalId);
        assertThat(event.path("metadata").path("fetched_at").asText()).isNotBlank();
        assertThat(event.path("data").path("internal_id").asText()).isEqualTo(internalId);
        assertThat(event.path("data").path("id").asText()).as("the sender's id").isEqualTo(id);
        assertThat(event.path("data").path("name").asText()).isEqualTo("conformance/send");
        assertThat(event.path("data").path("data").path("ref").asText()).isEqualTo(ref);
        assertThat(event.path("data").path("ts").isIntegralNumber()).isTrue();
        assertThat(event.path("data").path("environment_id").asText()).isNotBlank();

        JsonNode run = null;
        java.time.Instant deadline = java.time.Instant.now().plus(WAIT);
        while (java.time.Instant.now().isBefore(deadline)) {
            JsonNode runs = executor.get("/v1/events/" + internalId + "/runs").path("data");
            if (runs.size() == 1 && runs.get(0).path("status").asText().equals("Completed")) {
                run = runs.get(0);
                break;
            }
            ExecutorClient.sleep(100);
        }
        assertThat(run).as("the event's run completed").isNotNull();
        assertThat(run.path("run_id").asText()).hasSize(26);
        assertThat(run.path("event_id").asText()).isEqualTo(internalId);
        assertThat(UUID.fromString(run.path("function_id").asText())).isNotNull();
        assertThat(run.path("ended_at").asText()).isNotBlank();
        assertThat(run.path("output").path("sent").size()).isEqualTo(1);

        JsonNode same = executor.get("/v1/runs/" + run.path("run_id").asText()).path("data");
        assertThat(same.path("run_id").asText()).isEqualTo(run.path("run_id").asText());
        assertThat(same.path("status").asText()).isEqualTo("Completed");
        assertThat(same.path("output")).isEqualTo(run.path("output"));

        JsonNode listed = executor.get("/v1/events?name=conformance/send&limit=51").path("data");
        assertThat(listed.findValuesAsText("internal_id")).contains(internalId);
        JsonNode recent = executor.get("/v1/events?limit=51").path("data");
        assertThat(recent.findValuesAsText("name")).as("the server's own events are not listed")
                .noneMatch(name -> name.startsWith("inngest/"));
        assertThat(executor.get("/v1/events?limit=1&name=conformance/send").path("data").size()).isEqualTo(1);

        String app = prefix.substring(0, prefix.length() - 1);
        JsonNode functions = executor.get("/v1/apps/" + app + "/functions");
        assertThat(functions.isArray()).as("a bare list, as the server answers").isTrue();
        assertThat(functions.findValuesAsText("id")).contains(prefix + "send");
        assertThat(functions.findValuesAsText("internal_id")).contains(run.path("function_id").asText());

        // Checkpoints: one from a call that no longer holds the run (it ended) is refused as stale and changes
        // nothing; an unknown run and an op that cannot be checkpointed are the caller's mistakes.
        String runId = run.path("run_id").asText();
        int stepsBefore = executor.get("/dev/runs/" + runId).path("steps").size();
        String stray = "{\"run_id\": \"" + runId + "\", \"qi_id\": \"" + runId + ":step:0:"
                + UUID.randomUUID() + "\", \"steps\": [{\"id\": \"stray\", \"op\": \"StepRun\", \"data\": 1}]}";
        assertThat(executor.postJson("/v1/checkpoint/" + runId + "/async", stray).statusCode()).isEqualTo(409);
        assertThat(executor.get("/dev/runs/" + runId).path("steps").size()).isEqualTo(stepsBefore);
        assertThat(executor.postJson("/v1/checkpoint/" + UNKNOWN_RUN + "/async", stray).statusCode())
                .isEqualTo(400);
        assertThat(executor.postJson("/v1/checkpoint/" + runId + "/async", stray.replace("StepRun", "Sleep"))
                .statusCode()).isEqualTo(400);

        var refused = executor.getResponse("/v1/runs/" + id());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("\"error\"").contains("\"status\":400");
        assertThat(executor.getResponse("/v1/events/" + UNKNOWN_RUN).statusCode()).isEqualTo(404);
        assertThat(executor.getResponse("/v1/runs/" + UNKNOWN_RUN).statusCode()).isEqualTo(404);
        assertThat(executor.getResponse("/v1/events?cursor=" + id()).statusCode()).isEqualTo(400);
    }

    public void aConcurrencyLimitCountsExecutingStepsNotSleepingRuns() {
        String group = id();
        java.util.List<String> events = java.util.List.of(id(), id(), id());
        for (String event : events) {
            executor.send("{\"name\": \"conformance/limited\", \"id\": \"" + event + "\", \"data\": {\"group\": \""
                    + group + "\"}}");
        }
        java.util.List<JsonNode> runs = new java.util.ArrayList<>();
        for (String event : events) {
            runs.add(executor.awaitRun(prefix + "limited", event, Scenarios::ended, WAIT));
        }
        for (JsonNode run : runs) {
            assertThat(run.path("status").asText()).isEqualTo("completed");
            assertThat(run.path("output").path("most").asInt()).as("steps of one key executing at once").isEqualTo(1);
        }
        // While one run slept between its steps, another ran its first step: the sleeping run held no slot.
        boolean overlapped = false;
        for (JsonNode sleeper : runs) {
            java.time.Instant aDone = completed(sleeper, "a");
            java.time.Instant bDone = completed(sleeper, "b");
            for (JsonNode other : runs) {
                java.time.Instant otherA = completed(other, "a");
                overlapped |= other != sleeper && otherA.isAfter(aDone) && otherA.isBefore(bDone);
            }
        }
        assertThat(overlapped).as("another run executed while one slept").isTrue();
    }

    public void anEnvScopedLimitIsSharedByEveryFunctionWhoseKeyHasTheSameValue() {
        String value = id();
        List<String[]> sent = new ArrayList<>();
        for (String function : List.of("shared-group", "shared-team", "shared-group", "shared-team")) {
            String event = id();
            executor.send("{\"name\": \"conformance/" + function + "\", \"id\": \"" + event + "\", \"data\": "
                    + "{\"group\": \"" + value + "\", \"team\": \"" + value + "\"}}");
            sent.add(new String[]{function, event});
        }
        for (String[] run : sent) {
            JsonNode ended = executor.awaitRun(prefix + run[0], run[1], Scenarios::ended, WAIT);
            assertThat(ended.path("status").asText()).isEqualTo("completed");
            assertThat(ended.path("output").path("most").asInt()).as("steps of one env-scoped key at once, across "
                    + "both functions").isEqualTo(1);
        }
    }

    private static java.time.Instant completed(JsonNode run, String step) {
        for (JsonNode s : run.path("steps")) {
            if (step.equals(s.path("displayName").asText())) {
                return java.time.Instant.parse(s.path("completedAt").asText());
            }
        }
        throw new AssertionError("run " + run.path("runId").asText() + " has no step " + step + ": " + run);
    }

    public void aFailedRunRunsItsFailureHandler() {
        String id = id();
        String ref = id();
        executor.send("{\"name\": \"conformance/doomed\", \"id\": \"" + id + "\", \"data\": {\"ref\": \"" + ref
                + "\"}}");
        JsonNode failed = executor.awaitRun(prefix + "doomed", id, Scenarios::ended, WAIT);
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        // The failure handler is a function of its own, started by inngest/function.failed for this run.
        JsonNode handled = executor.awaitRun(prefix + "doomed-failure", "inngest/function.failed:" + failed.path(
                "runId").asText(), Scenarios::ended, WAIT);
        assertThat(handled.path("status").asText()).isEqualTo("completed");
        assertThat(handled.path("output").path("handled").asText()).isEqualTo("card declined for " + ref);
        assertThat(handled.path("output").path("ref").asText()).isEqualTo(ref);
        assertThat(executor.get("/dev/events/inngest%2Ffunction.finished:" + failed.path("runId").asText()))
                .as("the run's end is announced").isNotNull();
    }

    public void aCancelledWaitIsNotResolvedAndTheCancellationIsAnnounced() {
        String id = id();
        String ref = id();
        executor.send("{\"name\": \"conformance/wait\", \"id\": \"" + id + "\", \"data\": {\"ref\": \"" + ref
                + "\", \"timeoutSeconds\": 60}}");
        JsonNode waiting = executor.awaitRun(prefix + "wait", id, r -> r.path("status").asText().equals("waiting"),
                WAIT);
        String runId = waiting.path("runId").asText();
        assertThat(executor.delete("/v1/runs/" + runId)).isEqualTo(200);
        // As the server: an ended run has nothing left to cancel, and answers as a cancelled one.
        assertThat(executor.delete("/v1/runs/" + runId)).as("an ended run").isEqualTo(200);
        assertThat(executor.delete("/v1/runs/" + UNKNOWN_RUN)).as("an unknown run").isEqualTo(404);
        assertThat(executor.delete("/v1/runs/" + id())).as("a run id that is no ULID").isEqualTo(400);
        executor.send("{\"name\": \"conformance/approved\", \"data\": {\"ref\": \"" + ref + "\", \"by\": \"late\"}}");
        ExecutorClient.sleep(1_000);
        JsonNode run = executor.get("/dev/runs/" + runId);
        assertThat(run.path("status").asText()).isEqualTo("cancelled");
        assertThat(run.path("output").isNull() || run.path("output").isMissingNode()).isTrue();
        JsonNode cancelled = executor.get("/dev/events/inngest%2Ffunction.cancelled:" + runId);
        assertThat(cancelled).as("inngest/function.cancelled").isNotNull();
        assertThat(cancelled.path("data").path("run_id").asText()).isEqualTo(runId);
    }

    public void anIdempotencyExpressionStartsOneRunPerValue() {
        String ref = id();
        String first = id();
        String second = id();
        executor.send("{\"name\": \"conformance/once\", \"id\": \"" + first + "\", \"data\": {\"ref\": \"" + ref
                + "\"}}");
        executor.send("{\"name\": \"conformance/once\", \"id\": \"" + second + "\", \"data\": {\"ref\": \"" + ref
                + "\"}}");
        JsonNode run = executor.awaitRun(prefix + "once", first, Scenarios::ended, WAIT);
        assertThat(run.path("output").path("ref").asText()).isEqualTo(ref);
        assertThat(executor.get("/dev/runs?function=" + prefix + "once&event=" + second).path("data").size())
                .as("a second event with the same key").isZero();
    }

    public void aCancelOnEventCancelsOnlyTheMatchingRun() {
        String ref = id();
        String id = id();
        executor.send("{\"name\": \"conformance/cancellable\", \"id\": \"" + id + "\", \"data\": {\"ref\": \""
                + ref + "\"}}");
        executor.awaitRun(prefix + "cancellable", id, r -> r.path("status").asText().equals("waiting"), WAIT);
        executor.send("{\"name\": \"conformance/stop\", \"data\": {\"ref\": \"someone-else\"}}");
        ExecutorClient.sleep(1_000);
        assertThat(executor.awaitRun(prefix + "cancellable", id, r -> true, WAIT).path("status").asText())
                .isEqualTo("waiting");
        executor.send("{\"name\": \"conformance/stop\", \"data\": {\"ref\": \"" + ref + "\"}}");
        JsonNode run = executor.awaitRun(prefix + "cancellable", id, Scenarios::ended, WAIT);
        assertThat(run.path("status").asText()).isEqualTo("cancelled");
    }

    public void aRunIsCancelledByALaterEventNotByItsOwnTrigger() {
        String user = id();
        String older = id();
        String newer = id();
        executor.send("{\"name\": \"conformance/supersede\", \"id\": \"" + older + "\", \"data\": {\"user\": \""
                + user + "\"}}");
        executor.awaitRun(prefix + "superseding", older, r -> r.path("status").asText().equals("waiting"), WAIT);
        executor.send("{\"name\": \"conformance/supersede\", \"id\": \"" + newer + "\", \"data\": {\"user\": \""
                + user + "\"}}");
        assertThat(executor.awaitRun(prefix + "superseding", older, Scenarios::ended, WAIT).path("status").asText())
                .isEqualTo("cancelled");
        JsonNode current = executor.awaitRun(prefix + "superseding", newer, r -> r.path("status").asText().equals(
                "waiting") || ended(r), WAIT);
        assertThat(current.path("status").asText()).as("the newer run is not cancelled by its own trigger")
                .isEqualTo("waiting");
        executor.delete("/v1/runs/" + current.path("runId").asText());
    }

    public void aRunPastItsFinishTimeoutIsCancelled() {
        String id = id();
        executor.send("{\"name\": \"conformance/bounded\", \"id\": \"" + id + "\", \"data\": {}}");
        JsonNode run = executor.awaitRun(prefix + "bounded", id, Scenarios::ended, WAIT);
        assertThat(run.path("status").asText()).isEqualTo("cancelled");
        assertThat(run.path("steps").findValuesAsText("displayName")).contains("a").doesNotContain("b");
    }

    public void aRerunFromAStepReusesTheStepsBeforeItAndTakesAReplacedInput() throws Exception {
        String id = id();
        executor.send("{\"name\": \"conformance/rerunnable\", \"id\": \"" + id + "\", \"data\": {\"ref\": \""
                + id() + "\", \"value\": 21}}");
        JsonNode first = executor.awaitRun(prefix + "rerunnable", id, Scenarios::ended, WAIT);
        assertThat(first.path("output").path("fetched").asInt()).isEqualTo(1);
        assertThat(first.path("output").path("doubled").asInt()).isEqualTo(42);
        JsonNode doubleStep = null;
        for (JsonNode step : first.path("steps")) {
            if (step.path("displayName").asText().equals("double")) {
                doubleStep = step;
            }
        }
        assertThat(doubleStep).as("the double step").isNotNull();
        assertThat(doubleStep.path("input").get(0).path("value").asInt()).as("its recorded input").isEqualTo(21);

        String runId = first.path("runId").asText();
        var answer = executor.postJson("/dev/runs/" + runId + "/rerun",
                "{\"fromStep\": \"double\", \"input\": [{\"value\": 50}]}");
        assertThat(answer.statusCode()).isEqualTo(200);
        String rerunId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body()).path("runId")
                .asText();
        JsonNode rerun = executor.awaitRunById(rerunId, Scenarios::ended, WAIT);
        assertThat(rerun.path("status").asText()).isEqualTo("completed");
        // fetch was not called again (its count would be 2), double ran with the replaced input.
        assertThat(rerun.path("output").path("fetched").asInt()).isEqualTo(1);
        assertThat(rerun.path("output").path("doubled").asInt()).isEqualTo(100);
        assertThat(rerun.path("rerunOf").asText()).isEqualTo(runId);
        assertThat(executor.postJson("/dev/runs/" + runId + "/rerun", "{\"fromStep\": \"no-such-step\"}")
                .statusCode()).isEqualTo(422);
    }

    public void parallelStepsEachRunOnceAndAreJoined() {
        JsonNode run = fanOut("fanout");
        // The executor fanned the three planned steps out: each began before any of them ended (one after another,
        // the last would begin only after the first ended).
        assertThat(lastStart(run)).as("the last parallel step began before the first ended").isLessThan(firstEnd(
                run));
    }

    public void aConcurrencyLimitOfOneRunsParallelStepsOneAtATime() {
        JsonNode run = fanOut("fanout-limited");
        // Inngest counts concurrency on steps: under a limit of 1 no two of the bodies ran at once.
        List<long[]> spans = new ArrayList<>();
        run.path("output").path("spans").forEach(span -> spans.add(new long[]{span.path("start").asLong(), span.path(
                "end").asLong()}));
        spans.sort(java.util.Comparator.comparingLong(span -> span[0]));
        for (int i = 1; i < spans.size(); i++) {
            assertThat(spans.get(i)[0]).as("step %d began after step %d ended", i, i - 1).isGreaterThanOrEqualTo(
                    spans.get(i - 1)[1]);
        }
    }

    private JsonNode fanOut(String function) {
        String id = id();
        executor.send("{\"name\": \"conformance/" + function + "\", \"id\": \"" + id + "\", \"data\": {}}");
        JsonNode run = executor.awaitRun(prefix + function, id, Scenarios::ended, WAIT);
        assertThat(run.path("status").asText()).isEqualTo("completed");
        assertThat(run.path("output").path("result").asText()).isEqualTo("A1B1C1D1");
        assertThat(run.path("steps").findValuesAsText("displayName")).containsExactlyInAnyOrder("a", "b", "c", "d");
        assertThat(run.path("output").path("spans")).hasSize(3);
        return run;
    }

    private static long lastStart(JsonNode run) {
        long last = 0;
        for (JsonNode span : run.path("output").path("spans")) {
            last = Math.max(last, span.path("start").asLong());
        }
        return last;
    }

    private static long firstEnd(JsonNode run) {
        long first = Long.MAX_VALUE;
        for (JsonNode span : run.path("output").path("spans")) {
            first = Math.min(first, span.path("end").asLong());
        }
        return first;
    }

    public void anInvokedFunctionsResultComesBack() {
        String id = id();
        executor.send("{\"name\": \"conformance/invoker\", \"id\": \"" + id + "\", \"data\": {\"value\": 21}}");
        JsonNode run = executor.awaitRun(prefix + "invoker", id, Scenarios::ended, WAIT);
        assertThat(run.path("status").asText()).isEqualTo("completed");
        assertThat(run.path("output").path("result").asInt()).isEqualTo(42);
        assertThat(run.path("steps").findValuesAsText("op")).contains("InvokeFunction");
    }

    public void aStepErrorKeepsItsNameMessageDataAndCause() {
        String id = id();
        executor.send("{\"name\": \"conformance/typed\", \"id\": \"" + id + "\", \"data\": {}}");
        JsonNode run = executor.awaitRun(prefix + "typed", id, Scenarios::ended, WAIT);
        assertThat(run.path("status").asText()).isEqualTo("completed");
        // What the catching code saw.
        assertThat(run.path("output").path("name").asText()).isEqualTo("NonRetriableError");
        assertThat(run.path("output").path("message").asText()).isEqualTo("rental r1 has no Xero name");
        assertThat(run.path("output").path("cause").asText()).isEqualTo("xero lookup empty");
        // What the server keeps of the step's error. (A custom "data" member survives with the Java SDK only: the
        // official SDK serialises an error's name, message, stack and cause, not its other members; see
        // ExecutionTest.)
        JsonNode error = null;
        for (JsonNode step : run.path("steps")) {
            if (step.path("displayName").asText().equals("validate")) {
                error = step.path("error");
            }
        }
        assertThat(error).as("the validate step's error").isNotNull();
        assertThat(error.path("name").asText()).isEqualTo("NonRetriableError");
        assertThat(error.path("message").asText()).isEqualTo("rental r1 has no Xero name");
        assertThat(error.path("cause").path("message").asText()).isEqualTo("xero lookup empty");
    }

    public void aTriggerConditionIsCel() {
        String ref = id();
        String small = id();
        String euros = id();
        String match = id();
        executor.send("{\"name\": \"conformance/gate\", \"id\": \"" + small + "\", \"data\": {\"ref\": \"" + ref
                + "\", \"amount\": 500, \"currency\": \"GBP\"}}");
        executor.send("{\"name\": \"conformance/gate\", \"id\": \"" + euros + "\", \"data\": {\"ref\": \"" + ref
                + "\", \"amount\": 1500, \"currency\": \"EUR\"}}");
        executor.send("{\"name\": \"conformance/gate\", \"id\": \"" + match + "\", \"data\": {\"ref\": \"" + ref
                + "\", \"amount\": 1000.5, \"currency\": \"GBP\"}}");
        JsonNode run = executor.awaitRun(prefix + "gate", match, Scenarios::ended, WAIT);
        assertThat(run.path("output").path("ref").asText()).isEqualTo(ref);
        // Events are processed in order: by the time the third started a run, the first two were decided.
        assertThat(executor.get("/dev/runs?function=" + prefix + "gate&event=" + small).path("data").size())
                .isZero();
        assertThat(executor.get("/dev/runs?function=" + prefix + "gate&event=" + euros).path("data").size())
                .isZero();
    }

    /** The executor itself: a trigger condition that is not CEL is refused when the app syncs, naming the function. */
    public void aMalformedTriggerConditionIsRefusedAtSync() {
        var response = executor.register("""
                {"appName": "broken-app", "url": "http://localhost:1/api/inngest", "functions": [
                  {"id": "broken-app-fn", "name": "fn", "triggers": [{"event": "x/y", "expression": "event.data.a >"}],
                   "steps": {"step": {"id": "step", "runtime": {"type": "http", "url": "http://localhost:1"}}}}]}""");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("broken-app-fn").contains("not valid CEL");
        assertThat(executor.get("/dev/functions/broken-app-fn")).as("nothing was synced").isNull();
        // So are a fractional concurrency limit, an unreadable timeout and an unreadable cron.
        for (String bad : java.util.List.of("\"concurrency\": [{\"limit\": 1.5}]",
                "\"timeouts\": {\"finish\": \"soon\"}",
                "\"cancel\": [{\"event\": \"x/stop\", \"timeout\": \"later\"}]")) {
            var refused = executor.register("""
                    {"appName": "broken-app", "url": "http://localhost:1/api/inngest", "functions": [
                      {"id": "broken-app-fn", "name": "fn", "triggers": [{"event": "x/y"}], %s,
                       "steps": {"step": {"id": "step", "runtime": {"type": "http", "url": "http://localhost:1"}}}}]}"""
                    .formatted(bad));
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
        }
        var cron = executor.register("""
                {"appName": "broken-app", "url": "http://localhost:1/api/inngest", "functions": [
                  {"id": "broken-app-fn", "name": "fn", "triggers": [{"cron": "TZ=Europe/London"}],
                   "steps": {"step": {"id": "step", "runtime": {"type": "http", "url": "http://localhost:1"}}}}]}""");
        assertThat(cron.statusCode()).isEqualTo(400);
        assertThat(executor.get("/dev/functions/broken-app-fn")).as("nothing was synced").isNull();
    }

    public void aStepThatFailedForGoodCanBeCaughtAndTheRunGoesOn() {
        String id = id();
        executor.send("{\"name\": \"conformance/recovering\", \"id\": \"" + id + "\", \"data\": {}}");
        JsonNode run = executor.awaitRun(prefix + "recovering", id, Scenarios::ended, WAIT);
        assertThat(run.path("status").asText()).isEqualTo("completed");
        assertThat(run.path("output").path("recovered").asBoolean()).isTrue();
        assertThat(run.path("output").path("error").asText()).isEqualTo("Xero rejected the invoice");
        assertThat(run.path("output").path("fallback").asText()).isEqualTo("queued for review");
    }

    public void aStepThatAlwaysFailsRunsOnceAndOncePerRetry() {
        String id = id();
        executor.send("{\"name\": \"conformance/exhausted\", \"id\": \"" + id + "\", \"data\": {\"ref\": \""
                + id() + "\"}}");
        JsonNode run = executor.awaitRun(prefix + "exhausted", id, Scenarios::ended, WAIT);
        assertThat(run.path("status").asText()).isEqualTo("failed");
        // retries: 2 means three attempts, numbered from 0; the run fails with the last attempt's error.
        assertThat(run.path("error").path("message").asText()).isEqualTo("down on call 3, attempts 0,1,2");
    }

    public void aResentEventIdStartsNoSecondRunButStillResolvesWaits() {
        String trigger = id();
        String refA = id();
        String refB = id();
        executor.send("{\"name\": \"conformance/wait\", \"id\": \"" + trigger + "\", \"data\": {\"ref\": \""
                + refA + "\", \"timeoutSeconds\": 60}}");
        executor.send("{\"name\": \"conformance/wait\", \"id\": \"" + trigger + "\", \"data\": {\"ref\": \""
                + refA + "\", \"timeoutSeconds\": 60}}");
        String other = id();
        executor.send("{\"name\": \"conformance/wait\", \"id\": \"" + other + "\", \"data\": {\"ref\": \""
                + refB + "\", \"timeoutSeconds\": 60}}");
        executor.awaitRun(prefix + "wait", trigger, r -> r.path("status").asText().equals("waiting"), WAIT);
        executor.awaitRun(prefix + "wait", other, r -> r.path("status").asText().equals("waiting"), WAIT);
        assertThat(executor.get("/dev/runs?function=" + prefix + "wait&event=" + trigger).path("data").size())
                .as("runs started by one event id sent twice").isEqualTo(1);

        String approval = id();
        executor.send("{\"name\": \"conformance/approved\", \"id\": \"" + approval + "\", \"data\": {\"ref\": \""
                + refA + "\", \"by\": \"first\"}}");
        JsonNode first = executor.awaitRun(prefix + "wait", trigger, Scenarios::ended, WAIT);
        assertThat(first.path("output").path("by").asText()).isEqualTo("first");
        // The same event id again, for the other wait: Inngest still matches it.
        executor.send("{\"name\": \"conformance/approved\", \"id\": \"" + approval + "\", \"data\": {\"ref\": \""
                + refB + "\", \"by\": \"second\"}}");
        JsonNode second = executor.awaitRun(prefix + "wait", other, Scenarios::ended, WAIT);
        assertThat(second.path("status").asText()).isEqualTo("completed");
        assertThat(second.path("output").path("by").asText()).isEqualTo("second");
    }

    public void aFailedStepIsRetriedAndThenSucceeds() {
        String id = id();
        executor.send("{\"name\": \"conformance/flaky\", \"id\": \"" + id + "\", \"data\": {\"ref\": \"" + id()
                + "\"}}");
        JsonNode run = executor.awaitRun(prefix + "flaky", id, Scenarios::ended, WAIT);
        assertThat(run.path("status").asText()).isEqualTo("completed");
        assertThat(run.path("output").path("xero").asText()).isEqualTo("pushed on attempt 2");
    }

    public void aNonRetriableErrorFailsTheRunAtOnce() {
        String id = id();
        executor.send("{\"name\": \"conformance/refusing\", \"id\": \"" + id + "\", \"data\": {\"ref\": \"" + id()
                + "\"}}");
        JsonNode run = executor.awaitRun(prefix + "refusing", id, Scenarios::ended, WAIT);
        assertThat(run.path("status").asText()).isEqualTo("failed");
        assertThat(run.path("error").path("name").asText()).isEqualTo("NonRetriableError");
        assertThat(run.path("error").path("message").asText()).isEqualTo("booking does not exist (attempt 1)");
    }
}
