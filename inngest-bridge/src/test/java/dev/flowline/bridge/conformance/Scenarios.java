package dev.flowline.bridge.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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

    public Scenarios(ExecutorClient executor, String prefix) {
        this.executor = executor;
        this.prefix = prefix;
    }

    /** Waits until the app's sync reached the executor (the function is known). */
    public static void awaitSynced(ExecutorClient executor, String functionId) {
        java.time.Instant deadline = java.time.Instant.now().plus(WAIT);
        while (executor.get("/v1/functions/" + functionId) == null) {
            if (java.time.Instant.now().isAfter(deadline)) {
                throw new AssertionError(functionId + " was never synced");
            }
            ExecutorClient.sleep(200);
        }
    }

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
        assertThat(run.path("output").path("sent").get(0).asText()).isEqualTo("announced-" + ref);
        JsonNode event = executor.get("/v1/events/announced-" + ref);
        assertThat(event).as("the sent event was received").isNotNull();
        assertThat(event.path("data").path("ref").asText()).isEqualTo(ref);
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
