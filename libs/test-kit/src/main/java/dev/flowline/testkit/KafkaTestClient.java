package dev.flowline.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Plain Kafka clients against the test broker, to observe what a service published or to feed it records.
 */
import dev.flowline.contracts.MessageHeaders;

public final class KafkaTestClient {

    private KafkaTestClient() {
    }

    public static String bootstrapServers() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    /** Reads {@code topic} from the beginning until a record matches, or fails after {@code timeout}. */
    public static ConsumerRecord<String, String> awaitRecord(String topic,
            Predicate<ConsumerRecord<String, String>> matcher, Duration timeout) {
        List<ConsumerRecord<String, String>> matches = readAll(topic, matcher, timeout, true);
        if (matches.isEmpty()) {
            throw new AssertionError("no matching record on " + topic + " within " + timeout);
        }
        return matches.get(0);
    }

    /** Every record of {@code topic} that matches, read from the beginning for {@code duration}. */
    public static List<ConsumerRecord<String, String>> readAll(String topic,
            Predicate<ConsumerRecord<String, String>> matcher, Duration duration) {
        return readAll(topic, matcher, duration, false);
    }

    private static List<ConsumerRecord<String, String>> readAll(String topic,
            Predicate<ConsumerRecord<String, String>> matcher, Duration duration, boolean stopAtFirst) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<ConsumerRecord<String, String>> matches = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            Instant deadline = Instant.now().plus(duration);
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (matcher.test(record)) {
                        matches.add(record);
                        if (stopAtFirst) {
                            return matches;
                        }
                    }
                }
            }
        }
        return matches;
    }

    /** Sends a Flowline message as the outbox does: with its message type and message id headers. */
    public static void sendMessage(String topic, String key, String value, String messageType,
            java.util.UUID messageId) {
        send(topic, key, value, Map.of(MessageHeaders.MESSAGE_TYPE, messageType, MessageHeaders.MESSAGE_ID, messageId
                .toString()));
    }

    public static void send(String topic, String key, String value, Map<String, String> headers) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
            headers.forEach((name, v) -> record.headers().add(name, v.getBytes(StandardCharsets.UTF_8)));
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not send to " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
