package dev.flowline.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import dev.flowline.contracts.CatalogKind;
import dev.flowline.contracts.MessageHeaders;
import dev.flowline.contracts.Topics;
import dev.flowline.contracts.WorkflowCommand;
import dev.flowline.deploy.ServiceProcess;
import dev.flowline.devexecutor.DevExecutor;
import dev.flowline.embedded.EmbeddedPostgresServer;
import dev.flowline.embedded.LocalHttpServer;
import dev.flowline.embedded.Ports;

/**
 * inngest-bridge as a process of its own, killed (SIGKILL) while a step's endpoint is handling its call, then started
 * again on the same port: the run completes, and no step endpoint ever sees two different idempotency keys for the
 * same attempt.
 */
class BridgeKillSystemTest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One call a step endpoint received. */
    private record Call(String step, int execution, int attempt, String runId, String idempotencyKey) {
    }

    private static TriggerStack stack;
    private static DevExecutor executor;
    private static HttpServer steps;
    private static final List<Call> calls = new CopyOnWriteArrayList<>();
    private static final CountDownLatch slowCallStarted = new CountDownLatch(1);
    private static int bridgePort;
    private static ServiceProcess bridge;
    private static int executorPort;

    @BeforeAll
    static void start() throws Exception {
        stack = TriggerStack.start(TriggerStack.repositoryRoot());
        steps = LocalHttpServer.create(0, 0);
        steps.createContext("/", exchange -> {
            JsonNode payload = TriggerStack.JSON.readTree(exchange.getRequestBody().readAllBytes());
            JsonNode context = payload.path("context");
            String step = exchange.getRequestURI().getPath().substring(1);
            calls.add(new Call(step, context.path("execution").asInt(), context.path("attempt").asInt(), context.path(
                    "runId").asText(), exchange.getRequestHeaders().getFirst("Idempotency-Key")));
            if (step.equals("slow") && context.path("attempt").asInt() == 0) {
                slowCallStarted.countDown();
                sleep(8000);
            }
            byte[] out = "{\"output\": {\"ok\": true}}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, out.length);
            try (OutputStream stream = exchange.getResponseBody()) {
                stream.write(out);
            }
        });
        steps.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        steps.start();
        bridgePort = Ports.free();
        executorPort = Ports.free();
        bridge = startBridge("bridge-a");
        EmbeddedPostgresServer postgres = stack.postgres();
        executor = DevExecutor.start(DevExecutor.Config.defaults(executorPort, postgres.jdbcUrl(),
                EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD).withAppUrls(
                        List.of(
                                "http://localhost:" + bridgePort + "/api/inngest"))
                .withBackoffBase(Duration.ofMillis(500)));
    }

    private static ServiceProcess startBridge(String instance) {
        return stack.startBridge(instance, bridgePort, Map.of("inngest.dev", "http://localhost:" + executorPort,
                "mp.messaging.incoming.workflow-commands.session.timeout.ms", "6000",
                "mp.messaging.incoming.workflow-commands.heartbeat.interval.ms", "1000",
                "mp.messaging.incoming.catalog-changes.session.timeout.ms", "6000",
                "mp.messaging.incoming.catalog-changes.heartbeat.interval.ms", "1000"));
    }

    @AfterAll
    static void stop() {
        if (executor != null) {
            executor.close();
        }
        if (steps != null) {
            steps.stop(0);
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aRunSurvivesTheBridgeKilledDuringAStepCallAndEveryAttemptKeepsOneKey() throws Exception {
        String base = "http://localhost:" + steps.getAddress().getPort();
        for (String step : List.of("fast", "slow", "last")) {
            stack.publish(CatalogKind.STEP, "kill_" + step, "1.0.0", """
                    {"name": "kill_%s", "version": "1.0.0", "binding": {"type": "http", "url": "%s/%s"},
                     "input": {"type": "object"}, "output": {"type": "object"},
                     "retry": {"maxAttempts": 10, "backoff": {"initialInterval": "200ms"}}, "timeout": "30s"}
                    """.formatted(step, base, step));
        }
        stack.publish(CatalogKind.WORKFLOW, "kill_flow", "1", """
                {"name": "kill_flow", "version": 1, "command": "test.kill.flow", "start": "A",
                 "steps": {"A": {"uses": "kill_fast@^1", "next": "B"}, "B": {"uses": "kill_slow@^1", "next": "C"},
                           "C": {"uses": "kill_last@^1"}},
                 "end": ["C"], "output": {"done": "$.steps.C.output.ok"}}
                """);
        UUID commandId = UUID.randomUUID();
        WorkflowCommand command = new WorkflowCommand(commandId, "kill_flow", null, TriggerStack.JSON
                .createObjectNode(),
                new WorkflowCommand.Source(WorkflowCommand.SourceType.API, "tester", null, null,
                        null, null),
                Instant.now());
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.WORKFLOW_COMMANDS, commandId.toString(),
                TriggerStack.JSON.writeValueAsBytes(command));
        record.headers().add(MessageHeaders.MESSAGE_ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        record.headers().add(MessageHeaders.MESSAGE_TYPE, WorkflowCommand.MESSAGE_TYPE.getBytes(
                StandardCharsets.UTF_8));
        stack.producer().send(record).get(30, TimeUnit.SECONDS);

        assertThat(slowCallStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the slow step was called").isTrue();
        bridge.kill();
        bridge = startBridge("bridge-b");

        String viewer = stack.token("vera", "flowline-viewer");
        JsonNode run = awaitRun(commandId, viewer);
        assertThat(run.path("status").asText()).isEqualTo("completed");
        assertThat(run.path("output").path("done").asBoolean()).isTrue();

        String runId = run.path("runId").asText();
        List<Call> ofRun = calls.stream().filter(c -> c.runId().equals(runId)).toList();
        assertThat(ofRun.stream().filter(c -> c.step().equals("slow"))).hasSizeGreaterThanOrEqualTo(2);
        Map<String, Set<String>> keysByAttempt = ofRun.stream().collect(Collectors.groupingBy(c -> c.step() + "/"
                + c.execution() + "/" + c.attempt(), Collectors.mapping(Call::idempotencyKey, Collectors.toSet())));
        assertThat(keysByAttempt).allSatisfy((attempt, keys) -> assertThat(keys).as(attempt).hasSize(1));
        // The slow step's first attempt, cut off by the kill, shows as failed; the next one succeeded.
        JsonNode slow = null;
        for (JsonNode attempt : run.path("steps")) {
            if (attempt.path("stepId").asText().equals("B") && attempt.path("status").asText().equals("succeeded")) {
                slow = attempt;
            }
        }
        assertThat(slow).as("a succeeded attempt of B").isNotNull();
        assertThat(slow.path("attempt").asInt()).isGreaterThanOrEqualTo(1);
    }

    private static JsonNode awaitRun(UUID commandId, String token) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + bridgePort
                    + "/api/runs?command=" + commandId)).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (page.statusCode() == 200) {
                JsonNode items = TriggerStack.JSON.readTree(page.body()).path("items");
                if (items.size() > 0 && items.get(0).path("status").asText().equals("completed")) {
                    HttpResponse<String> detail = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                            + bridgePort + "/api/runs/" + items.get(0).path("runId").asText())).header(
                                    "Authorization", "Bearer " + token)
                            .build(), HttpResponse.BodyHandlers.ofString());
                    return TriggerStack.JSON.readTree(detail.body());
                }
                last = items;
            }
            sleep(500);
        }
        throw new AssertionError("the run of " + commandId + " did not complete; last seen: " + last);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
