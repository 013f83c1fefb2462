package dev.flowline.bridge.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The dev executor as its own JVM, killed (SIGKILL) while a run sleeps between steps, then started again: the run
 * completes from PostgreSQL, and no step that had completed runs again.
 */
@QuarkusTest
@TestProfile(DevModeProfile.class)
class ExecutorRestartTest {

    @TestHTTPResource("/api/inngest")
    URL serve;

    private Process executor;

    private Process startExecutor(Path log) throws IOException {
        Config config = ConfigProvider.getConfig();
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "dev.flowline.devexecutor.DevExecutor",
                Integer.toString(DevModeProfile.EXECUTOR_PORT),
                config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class), serve.toString()));
        builder.environment().put("FLOWLINE_EXECUTOR_BACKOFF_MS", "200");
        builder.environment().put("FLOWLINE_PARENT_PID", Long.toString(ProcessHandle.current().pid()));
        return builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    @AfterEach
    void stop() {
        if (executor != null) {
            executor.destroyForcibly();
        }
    }

    @Test
    void killingTheExecutorMidRunLosesNothingAndRepeatsNoStep() throws Exception {
        Path log = Files.createTempFile("dev-executor", ".log");
        ExecutorClient client = new ExecutorClient(DevModeProfile.EXECUTOR_PORT);
        executor = startExecutor(log);
        Scenarios.awaitSynced(client, "flowline-steps");

        String eventId = UUID.randomUUID().toString();
        client.send("{\"name\": \"conformance/steps\", \"id\": \"" + eventId + "\", \"data\": {\"pause\": 4}}");
        JsonNode sleeping = client.awaitRun("flowline-steps", eventId, run -> run.path("steps")
                .findValuesAsText("displayName").contains("pause"), Duration.ofSeconds(60));
        String runId = sleeping.path("runId").asText();
        assertThat(sleeping.path("steps").findValuesAsText("displayName")).containsExactly("a", "b", "pause");

        executor.destroyForcibly();
        assertThat(executor.waitFor(10, TimeUnit.SECONDS)).as("the executor is dead").isTrue();
        assertThat(client.healthy()).isFalse();

        executor = startExecutor(log);
        JsonNode done = client.awaitRun("flowline-steps", eventId, run -> run.path("status").asText()
                .equals("completed"), Duration.ofSeconds(60));
        assertThat(done.path("runId").asText()).isEqualTo(runId);
        assertThat(done.path("output").path("result").asText()).isEqualTo("A1B1C1");
        for (String step : List.of("a", "b", "c")) {
            assertThat(ConformanceFunctions.EXECUTIONS.get("steps/" + step + "-" + runId)).as(step).hasValue(1);
        }
        new File(log.toString()).deleteOnExit();
    }
}
