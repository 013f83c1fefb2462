package dev.flowline.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.flowline.embedded.HeadlessChromium;

/**
 * The acceptance of the local run, on the real scripts and packaged services: {@code deploy/local/up --detach}
 * brings every service to UP; the APIs demand a token and a role and answer problem details; a definition published
 * in catalog-service reaches trigger-service's cache through Kafka; {@code deploy/local/down} leaves no process
 * behind; a second {@code up} still has the data.
 */
class LocalRunSystemTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Path home;
    private static final Map<String, String> ENV = new HashMap<>();
    private static int serviceBase;

    private static int inngestPort;
    private static int demoPort;

    @BeforeAll
    static void environment() throws IOException {
        home = Files.createTempDirectory("flowline-system-");
        // One block of eleven ports below the kernel's ephemeral range (32768+): a port picked there could be taken
        // by any outgoing connection of the nine processes before the one meant to listen on it binds it. Every
        // listener gets its port from the block, the Kafka controller too: left to pick its own, it once took the
        // catalog-service's port before catalog-service started.
        serviceBase = freeBlock(11);
        ENV.put("FLOWLINE_HOME", home.toString());
        ENV.put("FLOWLINE_PG_PORT", Integer.toString(serviceBase + 5));
        ENV.put("FLOWLINE_KAFKA_PORT", Integer.toString(serviceBase + 6));
        ENV.put("FLOWLINE_OIDC_PORT", Integer.toString(serviceBase + 7));
        inngestPort = serviceBase + 8;
        ENV.put("FLOWLINE_INNGEST_PORT", Integer.toString(inngestPort));
        ENV.put("FLOWLINE_SERVICE_PORT_BASE", Integer.toString(serviceBase));
        demoPort = serviceBase + 9;
        ENV.put("FLOWLINE_DEMO_PORT", Integer.toString(demoPort));
        ENV.put("FLOWLINE_KAFKA_CONTROLLER_PORT", Integer.toString(serviceBase + 10));
    }

    @AfterAll
    static void alwaysStop() throws Exception {
        run(Duration.ofMinutes(3), "deploy/local/down");
    }

    @Test
    void localRunEndToEnd() throws Exception {
        Instant start = Instant.now();
        Result up = run(Duration.ofMinutes(6), "deploy/local/up", "--detach");
        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(up.output()).contains("Flowline is up");
        System.out.printf("system-test: deploy/local/up --detach took %d s%n",
                Duration.between(start, Instant.now()).toSeconds());
        List<Long> pids = runPids();
        // The launcher, five services, the Inngest dev executor and the payout demo's step server.
        assertThat(pids).hasSize(8);
        assertThat(get("http://localhost:" + inngestPort + "/health", null).statusCode()).isEqualTo(200);

        String catalog = url(0);
        String trigger = url(1);
        for (int i = 0; i < 5; i++) {
            assertThat(get(url(i) + "/q/health", null).statusCode()).isEqualTo(200);
            HttpResponse<String> anonymous = get(url(i) + "/api/me", null);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        String viewer = token("viewer");
        String editor = token("editor");
        String eventType = catalog + "/api/event-types/booking.created/versions/1.0.0";
        String definition = """
                {"category": "entity", "description": "A booking was created",
                 "schema": {"type": "object", "required": ["booking_ids", "source"],
                            "properties": {"booking_ids": {"type": "array", "items": {"type": "string"}},
                                           "source": {"type": "string"}}}}""";

        assertThat(put(eventType, viewer, definition).statusCode()).isEqualTo(403);
        HttpResponse<String> malformed = put(eventType, editor, "{\"schema\": ");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(malformed.body()).get("type").asText())
                .isEqualTo("https://flowline.dev/problems/malformed-json");

        assertThat(put(eventType, editor, definition).statusCode()).isEqualTo(201);
        assertThat(post(eventType + "/publish", editor).statusCode()).isEqualTo(200);
        String cached = trigger + "/api/catalog-cache/event-type/booking.created/versions/1.0.0";
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> get(cached, viewer).statusCode() == 200);
        JsonNode entry = JSON.readTree(get(cached, viewer).body());
        assertThat(entry.get("status").asText()).isEqualTo("PUBLISHED");
        assertThat(entry.at("/definition/schema/required/0").asText()).isEqualTo("booking_ids");

        payoutDemo(up.output(), viewer);

        stopAndCheckNothingIsLeft(pids);

        // A restart keeps the state (PostgreSQL data and the OIDC key live under FLOWLINE_HOME).
        Result again = run(Duration.ofMinutes(6), "deploy/local/up", "--detach");
        assertThat(again.exitCode()).as(again.output()).isZero();
        HttpResponse<String> kept = get(eventType, viewer);
        assertThat(kept.statusCode()).as(kept.body()).isEqualTo(200);
        assertThat(JSON.readTree(kept.body()).get("status").asText()).isEqualTo("PUBLISHED");
        // Seeding the demo again changed nothing: one import, one set of publications, two "ready".
        String seedLog = Files.readString(home.resolve("logs/demo-seed.log"));
        assertThat(seedLog.split("the payout demo is ready", -1)).hasSize(3);
        assertThat(seedLog.split("imported the legacy", -1)).hasSize(2);
        assertThat(seedLog.split("published workflow process_payout@1", -1)).hasSize(2);
        assertThat(seedLog.split("resolves through update_rental_settings", -1)).hasSize(2);
        assertThat(seedLog.split("published view fix-xero-name@1", -1)).hasSize(2);
        stopAndCheckNothingIsLeft(runPids());
    }

    /**
     * The getting-started path: the command {@code up} printed starts a payout run, which waits on
     * MISSING_XERO_NAME at VALIDATE within 30 s and task-service opens its task; {@code deploy/local/demo
     * fix-xero-name} (or, in the browser profile, the renderer in headless Chromium) claims the task and resolves it
     * with the name, which the type's resolution step sets on the rental; the run completes and the fake Xero ledger
     * holds the pushed lines.
     */
    private static void payoutDemo(String upOutput, String viewer) throws Exception {
        String printed = upOutput.substring(upOutput.indexOf("Start a payout run:") + "Start a payout run:".length(),
                upOutput.indexOf("  Then:")).replace("\\\n", " ").trim();
        assertThat(printed).startsWith("curl ");
        Instant sent = Instant.now();
        Result started = run(Duration.ofSeconds(30), "bash", "-c", printed);
        assertThat(started.exitCode()).as(started.output()).isZero();
        assertThat(started.output()).contains("\"accepted\":true");

        String runs = url(4) + "/api/runs?workflow=process_payout";
        JsonNode waiting = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(
                () -> JSON.readTree(get(runs, viewer).body()).path("items").path(0),
                run -> run.path("status").asText().equals("waiting"));
        System.out.printf("system-test: the payout run waited on its task %d ms after the event%n",
                Duration.between(sent, Instant.now()).toMillis());
        String runId = waiting.path("runId").asText();
        JsonNode detail = JSON.readTree(get(url(4) + "/api/runs/" + runId, viewer).body());
        JsonNode match = detail.path("steps").get(0);
        JsonNode validate = detail.path("steps").get(1);
        assertThat(match.path("stepId").asText()).isEqualTo("MATCH");
        assertThat(match.path("output").path("unmatched_transaction_count").asInt()).isZero();
        assertThat(validate.path("status").asText()).isEqualTo("awaiting_task");
        assertThat(validate.path("error").path("code").asText()).isEqualTo("MISSING_XERO_NAME");
        assertThat(validate.path("error").path("data").path("rental_name").asText()).isEqualTo("Old Mill Cottage");

        // task-service opened one task for the attempt, for the operators (the imported step names no roles).
        JsonNode task = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(
                () -> JSON.readTree(get(url(2) + "/api/tasks?run=" + runId, viewer).body()).path("items"),
                items -> items.size() == 1).get(0);
        assertThat(task.path("status").asText()).isEqualTo("open");
        assertThat(task.path("errorCode").asText()).isEqualTo("MISSING_XERO_NAME");
        // Its screen, from ui-config-service with task-service's task: the view and the data it starts with.
        HttpResponse<String> screen = get(url(3) + "/api/task-views/" + task.path("id").asText(), viewer);
        assertThat(screen.statusCode()).as(screen.body()).isEqualTo(200);
        JsonNode drawn = JSON.readTree(screen.body());
        assertThat(drawn.at("/task/errorData/rental_name").asText()).isEqualTo("Old Mill Cottage");
        assertThat(drawn.path("name").asText()).isEqualTo("fix-xero-name");
        assertThat(drawn.path("generated").asBoolean()).isFalse();
        assertThat(drawn.at("/data/rental_id").asText()).isEqualTo(drawn.at("/task/errorData/rental_id").asText());
        // The screen brings its rental lookup's first page and the bound rental's label, from the step server.
        JsonNode lookup = drawn.path("lookups").path("/layout/2");
        assertThat(lookup.path("source").asText()).as(drawn.path("lookups").toString()).isEqualTo("rentals");
        assertThat(lookup.at("/selected/label").asText()).isEqualTo("Old Mill Cottage");
        assertThat(lookup.path("items").findValuesAsText("label")).contains("Old Mill Cottage");
        // Its lookup's data source, the step server's rental search, through ui-config-service.
        HttpResponse<String> rentals = get(url(3) + "/api/data-sources/rentals/query?q=Mill", viewer);
        assertThat(rentals.statusCode()).as(rentals.body()).isEqualTo(200);
        assertThat(JSON.readTree(rentals.body()).at("/items/0/label").asText()).isEqualTo("Old Mill Cottage");
        // The seed's catalog source: catalog-service's published workflows, asked with the viewer's own token.
        HttpResponse<String> workflows = get(url(3) + "/api/data-sources/workflows/query?q=payout&rows=true",
                viewer);
        assertThat(workflows.statusCode()).as(workflows.body()).isEqualTo(200);
        assertThat(JSON.readTree(workflows.body()).path("items").findValuesAsText("value")).containsExactly(
                "process_payout");
        assertThat(JSON.readTree(workflows.body()).at("/items/0/row/status").asText()).isEqualTo("PUBLISHED");
        // What a resolve submits is checked by the screen's validation in ui-config-service: refused, nothing changed.
        HttpResponse<String> refused = send(HttpRequest.newBuilder(URI.create(url(2) + "/api/tasks/" + task.path("id")
                .asText() + "/resolve")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers
                        .ofString("{\"action\": \"retry\", \"data\": {\"input\": 5}}")),
                token("admin"));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        assertThat(JSON.readTree(refused.body()).at("/errors/0/pointer").asText()).isEqualTo("/data/xero_name");
        if (Boolean.getBoolean("flowline.browser")) {
            resolveInTheBrowser(task.path("id").asText());
        } else {
            Result fixed = run(Duration.ofSeconds(60), "deploy/local/demo", "fix-xero-name", runId, "OLD-MILL");
            assertThat(fixed.exitCode()).as(fixed.output()).isZero();
        }
        JsonNode completed = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(
                () -> JSON.readTree(get(url(4) + "/api/runs/" + runId, viewer).body()),
                run -> run.path("status").asText().equals("completed"));
        assertThat(completed.path("steps")).extracting(s -> s.path("stepId").asText() + "/" + s.path("status")
                .asText()).containsExactly("MATCH/succeeded", "VALIDATE/failed", "VALIDATE/succeeded",
                        "APPORTION/succeeded", "PREPARE/succeeded", "PUSH/succeeded", "COMPLETE/succeeded");
        JsonNode closed = JSON.readTree(get(url(2) + "/api/tasks/" + task.path("id").asText(), viewer).body());
        assertThat(closed.path("status").asText()).isEqualTo("resolved");
        assertThat(closed.path("history")).extracting(h -> h.path("action").asText()).containsExactly("create",
                "claim", "resolve");
        // The type's resolution step set the name on the rental before the retry (the demo only resolved).
        assertThat(closed.path("title").asText()).isEqualTo("Missing Xero name for Old Mill Cottage");
        assertThat(closed.at("/history/2/detail/resolutionStep/output/xero_name").asText()).isEqualTo("OLD-MILL");
        // A second resolve of the resolved task: refused, and the run stays completed.
        HttpResponse<String> again = send(HttpRequest.newBuilder(URI.create(url(2) + "/api/tasks/" + task.path("id")
                .asText() + "/resolve")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers
                        .ofString("{\"action\": \"abort\", \"reason\": \"twice\"}")),
                token("admin"));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
        JsonNode ledger = JSON.readTree(get("http://localhost:" + demoPort + "/ledger?payout_id=P-1001", null)
                .body());
        assertThat(ledger.path("lines")).hasSize(6);
        assertThat(ledger.path("total").asDouble()).isEqualTo(1234.5);
        assertThat(ledger.path("lines").findValuesAsText("reference")).contains("P-1001 OLD-MILL");
    }

    /**
     * The operator's way: the renderer's demo page, served by the local run's ui-config-service, draws the task's
     * configured screen (the bound rental by its name, from the lookup's source); the Xero name typed in and "retry"
     * pressed, the renderer asks ui-config-service to validate, then claims and resolves the task in task-service
     * across origins.
     */
    private static void resolveInTheBrowser(String taskId) throws Exception {
        Path shots = Path.of("target/screenshots");
        ChromeDriver browser = HeadlessChromium.start();
        try {
            browser.get(url(3) + "/renderer/?task=" + taskId + "&tasks=" + url(2) + "#token=" + token("operator"));
            WebDriverWait wait = (WebDriverWait) new WebDriverWait(browser, Duration.ofSeconds(30)).ignoring(
                    StaleElementReferenceException.class);
            wait.until(d -> d.findElements(By.cssSelector("flowline-task-view .fl-chosen")).stream().anyMatch(
                    e -> e.getText().equals("Old Mill Cottage")));
            assertThat(browser.findElement(By.cssSelector("flowline-task-view .fl-key-value")).getText()).contains(
                    "Old Mill Cottage");
            HeadlessChromium.screenshot(browser, shots, "local-run-1-task-screen");
            browser.findElement(By.cssSelector("[data-bind='/xero_name'] input")).sendKeys("OLD-MILL");
            browser.findElement(By.cssSelector("button[data-action='retry']")).click();
            wait.until(d -> d.findElement(By.cssSelector("flowline-task-view")).getText().contains(
                    "Resolved with retry"));
            HeadlessChromium.screenshot(browser, shots, "local-run-2-resolved");
        } finally {
            browser.quit();
        }
    }

    private static void stopAndCheckNothingIsLeft(List<Long> pids) throws Exception {
        Result down = run(Duration.ofMinutes(3), "deploy/local/down");
        assertThat(down.exitCode()).as(down.output()).isZero();
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid " + pid).isFalse();
        }
        // The broker and PostgreSQL carry the data directory on their command lines.
        await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.allProcesses()
                .noneMatch(p -> p.info().commandLine().map(c -> c.contains(home.toString())).orElse(false)));
    }

    /** The launcher's and the services' pids, as the launcher recorded them. */
    private static List<Long> runPids() throws IOException {
        List<Long> pids = new ArrayList<>();
        pids.add(Long.parseLong(Files.readString(home.resolve("run/launcher.pid")).trim()));
        for (String line : Files.readAllLines(home.resolve("run/services.pids"))) {
            pids.add(Long.parseLong(line.split(" ")[1]));
        }
        return pids;
    }

    private static String url(int serviceIndex) {
        return "http://localhost:" + (serviceBase + serviceIndex);
    }

    private static String token(String role) throws Exception {
        Result result = run(Duration.ofSeconds(30), "deploy/local/token", role);
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result.output().trim();
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), token);
    }

    private static HttpResponse<String> put(String url, String token, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)), token);
    }

    private static HttpResponse<String> post(String url, String token) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()), token);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, String token) throws Exception {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    record Result(int exitCode, String output) {
    }

    private static Result run(Duration timeout, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of(command));
        if (command[0].contains("/")) {
            line.set(0, ROOT.resolve(command[0]).toString());
        }
        ProcessBuilder builder = new ProcessBuilder(line).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(ENV);
        Process process = builder.start();
        // The output is small; read it all, then wait.
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + timeout);
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static int freeBlock(int size) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            if (allFree(base, size)) {
                return base;
            }
        }
        throw new IllegalStateException("no block of " + size + " free ports");
    }

    private static boolean allFree(int base, int count) {
        for (int port = base; port < base + count; port++) {
            try (ServerSocket socket = new ServerSocket(port)) {
                socket.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
