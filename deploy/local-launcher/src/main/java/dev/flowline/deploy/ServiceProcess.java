package dev.flowline.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.flowline.embedded.DevOidcIssuer;
import dev.flowline.embedded.EmbeddedPostgresServer;
import dev.flowline.embedded.KafkaBroker;

/**
 * One Flowline service running as its own JVM on its packaged jar, wired to the embedded infrastructure. Used by the
 * local run and by system tests that need to kill and restart a service.
 */
public final class ServiceProcess implements AutoCloseable {

    /** Where the infrastructure listens. */
    public record Infrastructure(EmbeddedPostgresServer postgres, KafkaBroker kafka, DevOidcIssuer oidc) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;

    private ServiceProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts {@code module}'s {@code target/quarkus-app/quarkus-run.jar} under {@code root}, in the dev profile, with
     * its output appended to {@code log}; {@code properties} are extra system properties (they win over the defaults).
     */
    public static ServiceProcess start(Path root, String module, int port, Infrastructure infra, Path log,
            Map<String, String> properties) {
        return start(root, module, port, infra, log, properties, QUICK_START);
    }

    /** Small heap, serial GC and C1 only: fast start-up and little memory for five services on a laptop. */
    public static final List<String> QUICK_START = List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");

    /** The JVM's defaults (full JIT) with a fixed heap: what a measurement of steady-state speed needs. */
    public static final List<String> THROUGHPUT = List.of("-Xms512m", "-Xmx512m");

    /** As {@link #start(Path, String, int, Infrastructure, Path, Map)} with the given JVM options. */
    public static ServiceProcess start(Path root, String module, int port, Infrastructure infra, Path log,
            Map<String, String> properties, List<String> jvmOptions) {
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw -DskipTests package");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-Dquarkus.profile=dev",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.jdbc.url=" + infra.postgres().jdbcUrl(),
                "-Dquarkus.datasource.reactive.url=" + infra.postgres().reactiveUrl(),
                "-Dquarkus.datasource.username=" + EmbeddedPostgresServer.USER,
                "-Dquarkus.datasource.password=" + EmbeddedPostgresServer.PASSWORD,
                "-Dkafka.bootstrap.servers=" + infra.kafka().bootstrapServers(),
                "-Dquarkus.oidc.auth-server-url=" + infra.oidc().issuerUrl()));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new ServiceProcess(module, port, log, process);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + module, e);
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Whether {@code /q/health} answers UP. */
    public boolean isUp() {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until the service is UP; fails early if the process exits. */
    public void awaitHealthy(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (!isUp()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ", see " + log);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(name + " not healthy after " + timeout + ", see " + log);
            }
            sleep(250);
        }
    }

    /** SIGKILL: no shutdown hook, no graceful close, as in a crash or an OOM kill. */
    public void kill() {
        process.destroyForcibly();
        waitFor(10);
    }

    /** SIGTERM, then SIGKILL if it has not stopped within 20 seconds. */
    @Override
    public void close() {
        process.destroy();
        if (!waitFor(20)) {
            kill();
        }
    }

    private boolean waitFor(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
