package dev.flowline.bridge.benchmark;

import static io.restassured.RestAssured.given;

import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import dev.flowline.bridge.conformance.DevModeProfile;
import dev.flowline.contracts.CatalogChange;
import dev.flowline.contracts.CatalogKind;
import dev.flowline.contracts.Topics;
import dev.flowline.contracts.WorkflowCommand;
import dev.flowline.devexecutor.DevExecutor;
import dev.flowline.embedded.LocalHttpServer;
import dev.flowline.servicekit.security.Roles;
import dev.flowline.testkit.KafkaTestClient;
import dev.flowline.testkit.Tokens;

/**
 * Load driver for the runner's step overhead (not a test: it asserts nothing and is left out of the build's test run;
 * {@code ./mvnw verify -pl inngest-bridge -Pstep-overhead}). Workflows of 10, 50 and 100 steps, each a no-op HTTP step
 * answering at once, run one after the other on the dev executor; it prints, per size, the run's wall time per step,
 * steps per second, and the bridge's own time per step (the call requests' server time: SDK replay, validation,
 * the lifecycle records' transactions, the step call).
 */
@QuarkusTest
@TestProfile(DevModeProfile.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StepOverheadDriver {

    private static final int[] SIZES = {10, 50, 100};
    private static final int RUNS_PER_SIZE = Integer.getInteger("runs", 5);

    @TestHTTPResource("/api/inngest")
    URL serve;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry registry;

    private DevExecutor executor;
    private HttpServer noop;

    @BeforeAll
    void start() throws Exception {
        executor = DevModeProfile.startExecutor(serve, null);
        noop = LocalHttpServer.create(0, 0);
        noop.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] out = "{\"output\": {}}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, out.length);
            try (OutputStream stream = exchange.getResponseBody()) {
                stream.write(out);
            }
        });
        noop.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2));
        noop.start();
    }

    @AfterAll
    void stop() {
        if (executor != null) {
            executor.close();
        }
        if (noop != null) {
            noop.stop(0);
        }
    }

    @Test
    void reportStepOverhead() throws Throwable {
        String viewer = Tokens.forUser("bench", Roles.VIEWER);
        publish(CatalogKind.STEP, "bench_noop", "1.0.0", """
                {"name": "bench_noop", "version": "1.0.0",
                 "binding": {"type": "http", "url": "http://localhost:%d/noop"},
                 "input": {"type": "object"}, "output": {"type": "object"}}
                """.formatted(noop.getAddress().getPort()));
        List<String> report = new ArrayList<>();
        report.add(String.format(Locale.ROOT, "%6s %5s %14s %12s %18s %16s", "steps", "runs", "ms/step (wall)",
                "steps/s", "bridge ms/step", "bridge calls"));
        // A warm-up run of each size first: JIT, connection pools, compiled definitions.
        for (int size : SIZES) {
            String workflow = publishChain(size);
            run(workflow, viewer);
            double wallMs = 0;
            double bridgeMs = 0;
            long calls = 0;
            for (int i = 0; i < RUNS_PER_SIZE; i++) {
                CallTime before = callTime();
                wallMs += run(workflow, viewer);
                CallTime after = callTime();
                bridgeMs += after.millis() - before.millis();
                calls += after.count() - before.count();
            }
            double perStep = wallMs / RUNS_PER_SIZE / size;
            report.add(String.format(Locale.ROOT, "%6d %5d %14.2f %12.1f %18.2f %16.1f", size, RUNS_PER_SIZE, perStep,
                    1000.0 / perStep, bridgeMs / RUNS_PER_SIZE / size, (double) calls / RUNS_PER_SIZE));
        }
        System.out.println("\n== Step overhead (dev executor, no-op HTTP steps, runs one after another) ==");
        report.forEach(System.out::println);
        for (String name : List.of("flowline.runner.journal", "flowline.runner.step.call",
                "flowline.inngest.checkpoint")) {
            for (Timer timer : registry.find(name).timers()) {
                System.out.printf(Locale.ROOT, "%s: %d, mean %.2f ms, max %.2f ms%n", name, timer.count(), timer.mean(
                        java.util.concurrent.TimeUnit.MILLISECONDS),
                        timer.max(java.util.concurrent.TimeUnit.MILLISECONDS));
            }
        }
        System.out.println();
    }

    /** The call requests' server time so far (POST /api/inngest, every status), in ms, and their count. */
    private record CallTime(double millis, long count) {
    }

    private CallTime callTime() {
        double millis = 0;
        long count = 0;
        for (Timer timer : registry.find("http.server.requests").tag("uri", "/api/inngest").tag("method", "POST")
                .timers()) {
            millis += timer.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS);
            count += timer.count();
        }
        return new CallTime(millis, count);
    }

    private String publishChain(int size) throws Throwable {
        String workflow = "bench_chain_" + size + "_" + UUID.randomUUID().toString().substring(0, 6);
        StringBuilder steps = new StringBuilder();
        for (int i = 1; i <= size; i++) {
            steps.append(i > 1 ? "," : "").append("\"S").append(i).append("\": {\"uses\": \"bench_noop@^1\"")
                    .append(i < size ? ", \"next\": \"S" + (i + 1) + "\"" : "").append("}");
        }
        publish(CatalogKind.WORKFLOW, workflow, "1", """
                {"name": "%s", "version": 1, "command": "bench.%s", "start": "S1", "steps": {%s}, "end": ["S%d"]}
                """.formatted(workflow, workflow, steps, size));
        return workflow;
    }

    /** Runs the workflow once; answers the run's wall time (start to end as the projection recorded them), in ms. */
    private double run(String workflow, String viewer) throws Exception {
        UUID commandId = UUID.randomUUID();
        WorkflowCommand command = new WorkflowCommand(commandId, workflow, null, json.createObjectNode(),
                new WorkflowCommand.Source(WorkflowCommand.SourceType.API, "bench", null, null, null, null),
                Instant.now());
        KafkaTestClient.sendMessage(Topics.WORKFLOW_COMMANDS, commandId.toString(), json.writeValueAsString(command),
                WorkflowCommand.MESSAGE_TYPE, UUID.randomUUID());
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            JsonNode page = given().auth().oauth2(viewer).queryParam("command", commandId.toString()).get("/api/runs")
                    .then().extract().as(JsonNode.class);
            JsonNode run = page.path("items").path(0);
            last = page;
            if (run.path("status").asText().equals("completed")) {
                return Duration.between(Instant.parse(run.path("startedAt").asText()), Instant.parse(run.path(
                        "endedAt").asText())).toNanos() / 1e6;
            }
            if (run.path("status").asText().equals("failed")) {
                throw new AssertionError("benchmark run failed: " + run);
            }
            Thread.sleep(20);
        }
        String runId = last == null ? "" : last.path("items").path(0).path("runId").asText();
        throw new AssertionError("benchmark run of " + workflow + " did not complete; last seen: " + last
                + "; the executor's run: " + new dev.flowline.bridge.conformance.ExecutorClient(
                        DevModeProfile.EXECUTOR_PORT).get("/dev/runs/" + runId));
    }

    private void publish(CatalogKind kind, String name, String version, String definition) throws Throwable {
        CatalogChange change = new CatalogChange(UUID.randomUUID(), kind, name, version, CatalogChange.Status.PUBLISHED,
                json.readTree(definition), Instant.now());
        KafkaTestClient.sendMessage(Topics.CATALOG_CHANGES, change.key(), json.writeValueAsString(change),
                CatalogChange.MESSAGE_TYPE, change.messageId());
        // Commands for a workflow the cache does not have yet are refused after a short grace in tests.
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (io.quarkus.vertx.VertxContextSupport
                .subscribeAndAwait(() -> io.quarkus.hibernate.reactive.panache.Panache
                        .withSession(() -> dev.flowline.catalogcache.CatalogCacheEntry.count(
                                "key.name = ?1 and key.version = ?2",
                                name, version))) == 0) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(name + "@" + version + " never reached the catalog cache");
            }
            Thread.sleep(50);
        }
    }
}
