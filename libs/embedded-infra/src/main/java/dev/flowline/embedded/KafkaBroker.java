package dev.flowline.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import dev.flowline.contracts.Topics.TopicSpec;

/**
 * A real single-node Kafka broker in KRaft mode, run from the {@code org.apache.kafka:kafka_2.13} jars in a child JVM.
 * The child exits on its own when this JVM dies, so nothing is left behind.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final String CLASSPATH_RESOURCE = "/dev/flowline/embedded/kafka/kafka.classpath";
    private static final String WATCHDOG_CLASS = "dev/flowline/embedded/kafka/ParentWatchdog.class";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

    private final Process process;
    private final int port;
    private final Path logFile;

    private KafkaBroker(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
    }

    /**
     * Starts a broker and waits until it answers.
     *
     * @param dataDirectory where logs and metadata live; kept between runs if it already holds a formatted broker
     * @param port the client port, or 0 for any free port
     */
    public static KafkaBroker start(Path dataDirectory, int port) {
        return start(dataDirectory, port, 0);
    }

    /**
     * Starts a broker on a given controller port too: a launcher that places its servers on chosen ports gives the
     * controller one of them, since a free port picked here could be the one a server started later is meant for.
     *
     * @param controller the KRaft controller port, or 0 for any free port
     */
    public static KafkaBroker start(Path dataDirectory, int port, int controller) {
        try {
            Files.createDirectories(dataDirectory);
            int clientPort = port == 0 ? Ports.free() : port;
            int controllerPort = controller == 0 ? Ports.free() : controller;
            Path logDir = dataDirectory.resolve("log");
            Path config = dataDirectory.resolve("server.properties");
            Files.writeString(config, serverProperties(clientPort, controllerPort, logDir));
            String classpath = classpath(dataDirectory);
            Path logFile = dataDirectory.resolve("broker.log");

            if (!Files.exists(logDir.resolve("meta.properties"))) {
                Process format = javaProcess(classpath, "kafka.tools.StorageTool", "format", "-t",
                        Uuid.randomUuid().toString(), "-c", config.toString(), "--ignore-formatted")
                        .redirectOutput(dataDirectory.resolve("format.log").toFile()).start();
                if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
                    format.destroyForcibly();
                    throw new IllegalStateException("kafka storage format failed, see "
                            + dataDirectory.resolve("format.log"));
                }
            }
            Process broker = javaProcess(classpath, "kafka.Kafka", config.toString())
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
            KafkaBroker kafka = new KafkaBroker(broker, clientPort, logFile);
            kafka.awaitReady();
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("kafka broker did not start", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting kafka", e);
        }
    }

    private static String serverProperties(int clientPort, int controllerPort, Path logDir) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@localhost:" + controllerPort,
                "listeners=PLAINTEXT://localhost:" + clientPort + ",CONTROLLER://localhost:" + controllerPort,
                "advertised.listeners=PLAINTEXT://localhost:" + clientPort,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + logDir,
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // Topics come from the contracts; a typo in a topic name must fail, not create a new topic.
                "auto.create.topics.enable=false",
                "log.cleaner.backoff.ms=1000",
                "");
    }

    private static String classpath(Path dataDirectory) throws IOException {
        String kafkaClasspath;
        try (InputStream in = KafkaBroker.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + CLASSPATH_RESOURCE + ": build libs/kafka-runtime");
            }
            kafkaClasspath = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        // The watchdog class is copied out of our own jar so that the child's classpath needs no jar location.
        Path watchdogRoot = dataDirectory.resolve("watchdog");
        Path watchdogClass = watchdogRoot.resolve(WATCHDOG_CLASS);
        Files.createDirectories(watchdogClass.getParent());
        try (InputStream in = KafkaBroker.class.getResourceAsStream("/" + WATCHDOG_CLASS)) {
            if (in == null) {
                throw new IllegalStateException("missing " + WATCHDOG_CLASS);
            }
            Files.write(watchdogClass, in.readAllBytes());
        }
        return watchdogRoot + java.io.File.pathSeparator + kafkaClasspath;
    }

    private static ProcessBuilder javaProcess(String classpath, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info",
                "-cp", classpath,
                "dev.flowline.embedded.kafka.ParentWatchdog",
                Long.toString(ProcessHandle.current().pid()),
                mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true);
    }

    private void awaitReady() throws InterruptedException {
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("kafka broker exited with " + process.exitValue() + ", see " + logFile);
            }
            try (Admin admin = admin()) {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                last = e;
                Thread.sleep(250);
            }
        }
        close();
        throw new IllegalStateException("kafka broker not ready after " + STARTUP_TIMEOUT + ", see " + logFile, last);
    }

    /** The broker's process id (load reports split CPU by process). */
    public long pid() {
        return process.pid();
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
    }

    /** Creates the topics that do not exist yet; existing ones are left as they are. */
    public void createTopics(List<TopicSpec> topics) {
        List<NewTopic> newTopics = topics.stream().map(spec -> {
            NewTopic topic = new NewTopic(spec.name(), spec.partitions(), (short) 1);
            if (spec.compacted()) {
                topic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            }
            return topic;
        }).toList();
        try (Admin admin = admin()) {
            for (var entry : admin.createTopics(newTopics).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create topic " + entry.getKey(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("topic creation timed out", e);
        }
    }

    public Path logFile() {
        return logFile;
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

}
