package dev.flowline.bridge.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import dev.flowline.devexecutor.DevExecutor;

/**
 * The conformance scenarios with the Java API, served by the bridge and run by the dev executor, with the bridge
 * checkpointing (its default): a call runs the steps it reaches and reports each during the call.
 */
@QuarkusTest
@TestProfile(DevModeProfile.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JavaConformanceTest extends ConformanceSuite {

    @TestHTTPResource("/api/inngest")
    URL serve;

    private DevExecutor executor;
    private Scenarios scenarios;

    @BeforeAll
    void startExecutor() throws Exception {
        executor = DevModeProfile.startExecutor(serve, Duration.ofMillis(200));
        ExecutorClient client = new ExecutorClient(DevModeProfile.EXECUTOR_PORT);
        scenarios = new Scenarios(client, "flowline-", checkpointing());
        Scenarios.awaitSynced(client, "flowline-steps");
    }

    /** Whether the bridge checkpoints; off in the subclass. */
    protected boolean checkpointing() {
        return true;
    }

    @AfterAll
    void stopExecutor() {
        if (executor != null) {
            executor.close();
        }
    }

    @Test
    void aCronTriggerStartsARunPerSlot() {
        ExecutorClient client = new ExecutorClient(DevModeProfile.EXECUTOR_PORT);
        Instant deadline = Instant.now().plusSeconds(30);
        JsonNode runs;
        do {
            ExecutorClient.sleep(500);
            runs = client.get("/dev/runs?function=flowline-tick&status=completed").path("data");
        } while (runs.size() < 2 && Instant.now().isBefore(deadline));
        assertThat(runs.size()).isGreaterThanOrEqualTo(2);
        assertThat(runs.findValuesAsText("eventId")).doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(id).startsWith("cron-flowline-tick-"));
        assertThat(runs.get(0).path("output").path("cron").asText()).isEqualTo("*/2 * * * * ?");
    }

    @Test
    void aRunCanBeCancelledWhileItSleeps() {
        ExecutorClient client = new ExecutorClient(DevModeProfile.EXECUTOR_PORT);
        String eventId = UUID.randomUUID().toString();
        client.send("{\"name\": \"conformance/steps\", \"id\": \"" + eventId + "\", \"data\": {\"pause\": 3}}");
        JsonNode sleeping = client.awaitRun("flowline-steps", eventId, run -> run.path("steps")
                .findValuesAsText("displayName").contains("pause"), Duration.ofSeconds(30));
        String runId = sleeping.path("runId").asText();
        assertThat(client.delete("/v1/runs/" + runId)).isEqualTo(200);
        assertThat(client.delete("/v1/runs/" + runId)).as("again: nothing left to cancel").isEqualTo(200);
        ExecutorClient.sleep(4_000);
        JsonNode run = client.get("/dev/runs/" + runId);
        assertThat(run.path("status").asText()).isEqualTo("cancelled");
        assertThat(run.path("steps").findValuesAsText("displayName")).doesNotContain("c");
    }

    @Override
    protected Scenarios scenarios() {
        return scenarios;
    }
}
