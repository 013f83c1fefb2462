package dev.flowline.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.flowline.contracts.Topics;
import dev.flowline.embedded.DevOidcIssuer;
import dev.flowline.embedded.EmbeddedPostgresServer;
import dev.flowline.embedded.KafkaBroker;

/**
 * The one-command local run: embedded PostgreSQL, a KRaft broker and the development OIDC issuer in this JVM (the
 * broker as its child), then every service as a separate JVM on its packaged jar. State lives under
 * {@code .flowline/}. Stopping this process (Ctrl-C, SIGTERM from {@code deploy/local/down}) stops everything.
 */
public final class LocalLauncher {

    /** One Flowline service: its Maven module and its HTTP port. */
    public record ServiceSpec(String name, String module, int port) {
        String baseUrl() {
            return "http://localhost:" + port;
        }
    }

    public static final List<ServiceSpec> SERVICES = List.of(
            new ServiceSpec("catalog-service", "catalog-service", 8081),
            new ServiceSpec("trigger-service", "trigger-service", 8082),
            new ServiceSpec("task-service", "task-service", 8083),
            new ServiceSpec("ui-config-service", "ui-config-service", 8084),
            new ServiceSpec("inngest-bridge", "inngest-bridge", 8085));

    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(180);

    private final Path root;
    private final Path data;
    private final Path runDir;
    private final Path logDir;
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private EmbeddedPostgresServer postgres;
    private KafkaBroker kafka;
    private DevOidcIssuer oidc;
    private Process inngest;
    private PayoutDemo demo;
    private int inngestPort;

    private final int portOffset;

    private LocalLauncher(Path root, Path data) {
        this.root = root;
        this.data = data;
        this.portOffset = intEnv("FLOWLINE_SERVICE_PORT_BASE", SERVICES.get(0).port()) - SERVICES.get(0).port();
        this.runDir = data.resolve("run");
        this.logDir = data.resolve("logs");
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        Path data = args.length > 1 ? Path.of(args[1]).toAbsolutePath().normalize() : root.resolve(".flowline");
        LocalLauncher launcher = new LocalLauncher(root, data);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            launcher.stop();
            stopped.countDown();
        }, "flowline-shutdown"));
        try {
            launcher.start();
        } catch (RuntimeException e) {
            System.err.println("flowline: start failed: " + e.getMessage());
            System.exit(1);
        }
        stopped.await();
    }

    private void start() throws IOException, InterruptedException {
        Files.createDirectories(runDir);
        Files.createDirectories(logDir);
        Files.writeString(runDir.resolve("launcher.pid"), Long.toString(ProcessHandle.current().pid()));
        Files.deleteIfExists(runDir.resolve("ready"));

        int pgPort = intEnv("FLOWLINE_PG_PORT", 15432);
        int kafkaPort = intEnv("FLOWLINE_KAFKA_PORT", 19092);
        int kafkaControllerPort = intEnv("FLOWLINE_KAFKA_CONTROLLER_PORT", kafkaPort + 1);
        int oidcPort = intEnv("FLOWLINE_OIDC_PORT", 8180);

        log("starting PostgreSQL on port " + pgPort + " (data in " + data.resolve("postgres") + ")");
        postgres = EmbeddedPostgresServer.start(data.resolve("postgres"), pgPort);
        log("starting Kafka (KRaft) on port " + kafkaPort);
        kafka = KafkaBroker.start(data.resolve("kafka"), kafkaPort, kafkaControllerPort);
        kafka.createTopics(Topics.ALL);
        log("starting the development OIDC issuer on port " + oidcPort);
        oidc = DevOidcIssuer.start(oidcPort, data.resolve("oidc").resolve("signing-key.json"), Duration.ofHours(8));
        inngestPort = intEnv("FLOWLINE_INNGEST_PORT", 8288);
        inngest = startInngestExecutor();

        for (ServiceSpec spec : services()) {
            services.put(spec.name(), startService(spec));
        }
        List<String> pids = new ArrayList<>(services.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue().pid()).toList());
        pids.add("inngest-dev-executor " + inngest.pid());
        Files.write(runDir.resolve("services.pids"), pids);
        awaitHealthy();
        demo = PayoutDemo.start(root, data, logDir, intEnv("FLOWLINE_DEMO_PORT", 8090), oidc, services());
        if (demo != null) {
            pids.add("demo-steps " + demo.pid());
            Files.write(runDir.resolve("services.pids"), pids);
            demo.seed();
        }
        String summary = summary();
        System.out.println(summary);
        Files.writeString(runDir.resolve("ready"), summary);
    }

    /** Where the service {@code name} answers in this run. */
    private String url(String name) {
        return services().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().baseUrl();
    }

    /** The services on their ports, moved together by {@code FLOWLINE_SERVICE_PORT_BASE} (default 8081). */
    private List<ServiceSpec> services() {
        return SERVICES.stream().map(s -> new ServiceSpec(s.name(), s.module(), s.port() + portOffset)).toList();
    }

    private ServiceProcess startService(ServiceSpec spec) {
        Path log = logDir.resolve(spec.name() + ".log");
        log("starting " + spec.name() + " on port " + spec.port() + " (log in " + log + ")");
        Map<String, String> properties = new java.util.HashMap<>();
        String ui = url("ui-config-service");
        // The Next.js dev server and the renderer's own origin call the APIs from the browser.
        properties.put("flowline.cors.origins", "http://localhost:3000," + ui);
        switch (spec.module()) {
            // The bridge talks to the embedded Inngest dev executor, as it would to Inngest's dev server.
            case "inngest-bridge" -> properties.put("inngest.dev", "http://localhost:" + inngestPort);
            case "task-service" -> {
                properties.put("flowline.tasks.ui-url", ui);
                properties.put("flowline.tasks.views-url", ui + "/api/task-views/");
                properties.put("flowline.tasks.runs-url", url("inngest-bridge") + "/api/runs/");
            }
            case "ui-config-service" -> {
                properties.put("flowline.ui.tasks-url", url("task-service"));
                properties.put("flowline.ui.catalog-url", url("catalog-service"));
                // The payout demo's step server answers the rental lookup on this machine.
                properties.put("flowline.ui.data-sources.allowed-hosts", "localhost");
                properties.put("flowline.ui.data-sources.private-hosts", "localhost");
            }
            default -> {
            }
        }
        return ServiceProcess.start(root, spec.module(), spec.port(),
                new ServiceProcess.Infrastructure(postgres, kafka, oidc), log, properties);
    }

    /**
     * The Inngest dev executor (deploy/inngest-dev-executor) as its own JVM; it syncs the bridge once the bridge is up
     * and exits with this process.
     */
    private Process startInngestExecutor() throws IOException {
        Path module = root.resolve("deploy/inngest-dev-executor/target");
        Path classpath = module.resolve("executor.classpath");
        if (!Files.exists(classpath) || !Files.isDirectory(module.resolve("classes"))) {
            throw new IllegalStateException(module + " is not built: run ./mvnw -DskipTests package");
        }
        String bridge = services().stream().filter(s -> s.module().equals("inngest-bridge")).findFirst()
                .map(s -> s.baseUrl() + "/api/inngest").orElseThrow();
        Path log = logDir.resolve("inngest-dev-executor.log");
        log("starting the Inngest dev executor on port " + inngestPort + " (log in " + log + ")");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms32m", "-Xmx192m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                module.resolve("classes") + java.io.File.pathSeparator + Files.readString(classpath).trim(),
                "dev.flowline.devexecutor.DevExecutor", Integer.toString(inngestPort), postgres.jdbcUrl(),
                EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD, bridge));
        builder.environment().put("FLOWLINE_PARENT_PID", Long.toString(ProcessHandle.current().pid()));
        return builder.directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private void awaitHealthy() throws InterruptedException {
        Instant started = Instant.now();
        Instant deadline = started.plus(HEALTH_TIMEOUT);
        List<ServiceProcess> pending = new ArrayList<>(services.values());
        while (!pending.isEmpty()) {
            for (var it = pending.iterator(); it.hasNext();) {
                ServiceProcess service = it.next();
                if (!service.isAlive()) {
                    throw new IllegalStateException(service.name() + " exited, see " + service.log());
                }
                if (service.isUp()) {
                    log(service.name() + " is UP after " + Duration.between(started, Instant.now()).toSeconds()
                            + " s");
                    it.remove();
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("not healthy after " + HEALTH_TIMEOUT + ": "
                        + pending.stream().map(ServiceProcess::name).toList());
            }
            Thread.sleep(500);
        }
    }

    private String summary() {
        StringBuilder out = new StringBuilder("\nFlowline is up.\n\n");
        for (ServiceSpec spec : services()) {
            out.append(String.format("  %-18s %s   OpenAPI: %s/q/openapi   Swagger UI: %s/q/swagger-ui%n",
                    spec.name(), spec.baseUrl(), spec.baseUrl(), spec.baseUrl()));
        }
        out.append(String.format("%n  PostgreSQL  %s (user %s)%n", postgres.jdbcUrl(), EmbeddedPostgresServer.USER));
        out.append(String.format("  Kafka       %s%n", kafka.bootstrapServers()));
        out.append(String.format("  OIDC issuer %s%n", oidc.issuerUrl()));
        out.append(
                String.format("  Inngest     http://localhost:%d (dev executor: /e/<key>, /v1/events, /dev/runs)%n",
                        inngestPort));
        out.append("\n  A token: deploy/local/token viewer   (or admin, editor, operator)\n");
        out.append("  Try:     curl -H \"Authorization: Bearer $(deploy/local/token viewer)\" "
                + services().get(0).baseUrl() + "/api/me\n");
        out.append("  Stop:    Ctrl-C, or deploy/local/down for a detached run\n");
        if (demo != null) {
            out.append(demo.summary());
        }
        return out.toString();
    }

    private synchronized void stop() {
        log("stopping");
        // SIGTERM to all first, so they shut down in parallel; close() then waits for each.
        services.values().parallelStream().forEach(ServiceProcess::close);
        services.clear();
        if (demo != null) {
            demo.close();
        }
        if (inngest != null) {
            inngest.destroy();
            try {
                if (!inngest.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    inngest.destroyForcibly();
                }
            } catch (InterruptedException e) {
                inngest.destroyForcibly();
            }
        }
        closeQuietly(kafka);
        closeQuietly(oidc);
        closeQuietly(postgres);
        try {
            Files.deleteIfExists(runDir.resolve("ready"));
            Files.deleteIfExists(runDir.resolve("services.pids"));
            Files.deleteIfExists(runDir.resolve("launcher.pid"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        log("stopped");
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            System.err.println("flowline: " + e.getMessage());
        }
    }

    private static int intEnv(String name, int defaultValue) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? defaultValue : Integer.parseInt(value.trim());
    }

    private static void log(String message) {
        System.out.println("flowline: " + message);
    }
}
