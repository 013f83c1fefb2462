package dev.flowline.bridge.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.flowline.devexecutor.DevExecutor;
import dev.flowline.embedded.EmbeddedPostgresServer;
import dev.flowline.embedded.Ports;
import dev.flowline.inngest.protocol.StepIds;

/**
 * The conformance scenarios with the official TypeScript SDK ({@code inngest} from npm, installed with the machine's
 * Node.js) run by the dev executor, with the same assertions as {@link JavaConformanceTest}; and the step-id hashes
 * of the official SDK against ours. Runs only in the {@code inngest-conformance} Maven profile, which fails loudly
 * without Node.js.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TypeScriptConformanceTest extends ConformanceSuite {

    private static final Path APP = Path.of("src/test/conformance-app").toAbsolutePath();
    private Path work;
    private EmbeddedPostgresServer postgres;
    private DevExecutor executor;
    private Process app;
    private Scenarios scenarios;

    @BeforeAll
    void start() throws Exception {
        requireNode();
        work = Path.of("target/conformance-app").toAbsolutePath();
        Files.createDirectories(work);
        for (String file : List.of("package.json", "app.ts", "golden.mjs")) {
            Files.copy(APP.resolve(file), work.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(work.resolve("node_modules/inngest"))) {
            run(List.of("npm", "install", "--no-audit", "--no-fund"), Duration.ofMinutes(5));
        }
        postgres = EmbeddedPostgresServer.start(Files.createTempDirectory("conformance-pg"), Ports.free());
        int executorPort = Ports.free();
        int appPort = Ports.free();
        ProcessBuilder builder = new ProcessBuilder(List.of("npx", "tsx", "app.ts")).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(work.resolve("app.log").toFile());
        builder.environment().put("PORT", Integer.toString(appPort));
        builder.environment().put("INNGEST_DEV", "http://localhost:" + executorPort);
        builder.environment().put("INNGEST_BASE_URL", "http://localhost:" + executorPort);
        builder.environment().put("CONFORMANCE_CHECKPOINTING", checkpointing() ? "on" : "off");
        app = builder.start();
        executor = DevExecutor.start(DevExecutor.Config.defaults(executorPort, postgres.jdbcUrl(),
                EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD)
                .withAppUrls(List.of("http://localhost:" + appPort + "/api/inngest"))
                .withBackoffBase(Duration.ofMillis(200)));
        ExecutorClient client = new ExecutorClient(executorPort);
        Scenarios.awaitSynced(client, "conformance-ts-steps");
        scenarios = new Scenarios(client, "conformance-ts-", checkpointing());
    }

    /** Whether the app checkpoints (reports steps during a call); off here, on in the subclass. */
    protected boolean checkpointing() {
        return false;
    }

    private static void requireNode() {
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            if (node.waitFor(30, TimeUnit.SECONDS) && node.exitValue() == 0) {
                return;
            }
        } catch (IOException e) {
            // Fall through to the loud failure.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError("The inngest-conformance profile needs Node.js (node and npm on the PATH) to run "
                + "the official Inngest SDK. Install Node.js 18 or newer, or run ./mvnw verify without "
                + "-Pinngest-conformance.");
    }

    private String run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed:\n" + output);
        }
        return output;
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.descendants().forEach(ProcessHandle::destroyForcibly);
            app.destroyForcibly();
        }
        if (executor != null) {
            executor.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void stepIdsHashLikeTheOfficialSdk() throws Exception {
        List<String> ids = List.of("my-step-id", "my-step-id:1", "charge-card", "Xero: push invoice ✓", "a", "b:7");
        List<String> command = new ArrayList<>(List.of("node", "golden.mjs"));
        command.addAll(ids);
        String output = run(command, Duration.ofMinutes(1));
        ObjectMapper json = new ObjectMapper();
        int checked = 0;
        for (String line : output.strip().split("\n")) {
            JsonNode pair = json.readTree(line);
            assertThat(StepIds.hash(pair.get(0).asText())).as(pair.get(0).asText()).isEqualTo(pair.get(1).asText());
            checked++;
        }
        assertThat(checked).isEqualTo(ids.size());
    }

    @Override
    protected Scenarios scenarios() {
        return scenarios;
    }
}
