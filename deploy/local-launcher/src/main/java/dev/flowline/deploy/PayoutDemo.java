package dev.flowline.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.flowline.embedded.DevOidcIssuer;

/**
 * The payout demo of the local run: the demo step server ({@code deploy/local/demo-steps}, Python) as a child
 * process, then its seeding (the legacy workflow imported, bound, published; an event type and a trigger). Skipped,
 * with a note, when {@code FLOWLINE_DEMO=off} or there is no {@code python3}.
 */
final class PayoutDemo implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SEED_TIMEOUT = Duration.ofMinutes(3);

    private final Path root;
    private final Path logDir;
    private final int port;
    private final DevOidcIssuer oidc;
    private final List<LocalLauncher.ServiceSpec> services;
    private final Process server;

    private PayoutDemo(Path root, Path logDir, int port, DevOidcIssuer oidc, List<LocalLauncher.ServiceSpec> services,
            Process server) {
        this.root = root;
        this.logDir = logDir;
        this.port = port;
        this.oidc = oidc;
        this.services = services;
        this.server = server;
    }

    /** Starts the step server and waits for its health; null when the demo is switched off or cannot run here. */
    static PayoutDemo start(Path root, Path data, Path logDir, int port, DevOidcIssuer oidc,
            List<LocalLauncher.ServiceSpec> services) throws IOException, InterruptedException {
        if ("off".equalsIgnoreCase(System.getenv("FLOWLINE_DEMO"))) {
            System.out.println("flowline: the payout demo is off (FLOWLINE_DEMO=off)");
            return null;
        }
        if (!python3Available()) {
            System.out
                    .println("flowline: no python3 on the PATH: the payout demo (deploy/local/demo-steps) is skipped");
            return null;
        }
        Path log = logDir.resolve("demo-steps.log");
        System.out.println("flowline: starting the payout demo steps on port " + port + " (log in " + log + ")");
        ProcessBuilder builder = new ProcessBuilder("python3", "server.py", "--port", Integer.toString(port))
                .directory(root.resolve("deploy/local/demo-steps").toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("FLOWLINE_HOME", data.toString());
        Process server = builder.start();
        PayoutDemo demo = new PayoutDemo(root, logDir, port, oidc, services, server);
        demo.awaitHealthy(log);
        return demo;
    }

    long pid() {
        return server.pid();
    }

    String stepsUrl() {
        return "http://localhost:" + port;
    }

    /** Runs {@code seed.py} (idempotent) and fails the start when it fails. */
    void seed() throws IOException, InterruptedException {
        Path log = logDir.resolve("demo-seed.log");
        ProcessBuilder builder = new ProcessBuilder("python3", "seed.py")
                .directory(root.resolve("deploy/local/demo-steps").toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("FLOWLINE_TOKEN", oidc.mint("local-launcher", List.of("flowline-admin",
                "flowline-editor", "flowline-operator", "flowline-viewer")));
        builder.environment().put("FLOWLINE_CATALOG_URL", url("catalog-service"));
        builder.environment().put("FLOWLINE_TRIGGER_URL", url("trigger-service"));
        builder.environment().put("FLOWLINE_TASKS_URL", url("task-service"));
        builder.environment().put("FLOWLINE_UI_URL", url("ui-config-service"));
        builder.environment().put("FLOWLINE_DEMO_STEPS_URL", stepsUrl());
        Process seed = builder.start();
        if (!seed.waitFor(SEED_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            seed.destroyForcibly();
            throw new IllegalStateException("seeding the payout demo took over " + SEED_TIMEOUT + "; see " + log);
        }
        if (seed.exitValue() != 0) {
            throw new IllegalStateException("seeding the payout demo failed; see " + log + ":\n" + tail(log));
        }
        System.out.println("flowline: the payout demo is seeded (log in " + log + ")");
    }

    String summary() {
        String trigger = url("trigger-service");
        return "\n  Payout demo: steps on " + stepsUrl() + " (ledger: " + stepsUrl() + "/ledger)\n"
                + "  Start a payout run:\n"
                + "    curl -X POST -H \"Authorization: Bearer $(deploy/local/token operator)\" "
                + "-H 'Content-Type: application/json' " + trigger + "/api/events \\\n"
                + "      -d '{\"specversion\": \"1.0\", \"id\": \"payout-'\"$(date +%s)\"'\", "
                + "\"type\": \"payout.received\", \"source\": \"/demo/bank-feed\", \"data\": {\"payout_id\": "
                + "\"P-1001\"}}'\n"
                + "  Then: deploy/local/demo runs   (see docs/getting-started.md)\n";
    }

    private String url(String service) {
        return services.stream().filter(s -> s.name().equals(service)).findFirst().orElseThrow().baseUrl();
    }

    private void awaitHealthy(Path log) throws InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!server.isAlive()) {
                throw new IllegalStateException("the payout demo steps exited; see " + log + ":\n" + tail(log));
            }
            try {
                HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(stepsUrl() + "/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the payout demo steps were not up within " + START_TIMEOUT + "; see " + log);
    }

    private static boolean python3Available() {
        try {
            Process probe = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        server.destroy();
        try {
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        } catch (InterruptedException e) {
            server.destroyForcibly();
        }
    }
}
