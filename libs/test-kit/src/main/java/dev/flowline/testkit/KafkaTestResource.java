package dev.flowline.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.flowline.contracts.Topics;
import dev.flowline.embedded.KafkaBroker;

/** A real single-node KRaft broker for one test JVM, with every topic of {@link Topics#ALL} created. */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    private KafkaBroker broker;
    private Path dataDirectory;

    @Override
    public Map<String, String> start() {
        try {
            dataDirectory = Files.createTempDirectory("flowline-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        broker = KafkaBroker.start(dataDirectory, 0);
        broker.createTopics(Topics.ALL);
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
        if (dataDirectory != null) {
            try (Stream<Path> files = Files.walk(dataDirectory)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
