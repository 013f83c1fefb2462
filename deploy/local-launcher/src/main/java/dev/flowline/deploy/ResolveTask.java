package dev.flowline.deploy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.flowline.contracts.MessageHeaders;
import dev.flowline.contracts.TaskResolved;
import dev.flowline.contracts.Topics;

/**
 * Publishes a {@link TaskResolved} on {@code task-events}, as task-service will once it exists; the local run's
 * {@code deploy/local/demo} uses it to resolve the task a run waits on.
 *
 * <pre>ResolveTask &lt;bootstrap servers&gt; &lt;correlation key&gt; retry|skip|abort [input or output JSON | reason]</pre>
 */
public final class ResolveTask {

    private ResolveTask() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err
                    .println("usage: ResolveTask <bootstrap servers> <correlation key> retry|skip|abort [json|reason]");
            System.exit(2);
        }
        TaskResolved.Resolution resolution;
        try {
            resolution = TaskResolved.Resolution.valueOf(args[2].toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            System.err.println("resolution must be retry, skip or abort, not " + args[2]);
            System.exit(2);
            return;
        }
        ObjectMapper json = new ObjectMapper();
        UUID messageId = UUID.randomUUID();
        ObjectNode record = json.createObjectNode().put("messageId", messageId.toString())
                .put("taskId", UUID.nameUUIDFromBytes(args[1].getBytes(StandardCharsets.UTF_8)).toString())
                .put("taskVersion", 1).put("correlationKey", args[1]).put("resolution", resolution.name())
                .put("resolvedBy", "deploy/local/demo").put("at", Instant.now().toString());
        String extra = args.length > 3 ? args[3] : null;
        switch (resolution) {
            case RETRY -> {
                if (extra != null) {
                    record.set("input", json.readTree(extra));
                }
            }
            case SKIP -> record.set("output", json.readTree(extra == null ? "{}" : extra));
            case ABORT -> record.put("reason", extra == null ? "aborted from deploy/local/demo" : extra);
        }
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0],
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            ProducerRecord<String, String> message = new ProducerRecord<>(Topics.TASK_EVENTS, record.get("taskId")
                    .asText(), json.writeValueAsString(record));
            message.headers().add(MessageHeaders.MESSAGE_TYPE, TaskResolved.MESSAGE_TYPE.getBytes(
                    StandardCharsets.UTF_8));
            message.headers().add(MessageHeaders.MESSAGE_ID, messageId.toString().getBytes(StandardCharsets.UTF_8));
            producer.send(message).get(30, TimeUnit.SECONDS);
        }
        System.out.println("resolved " + args[1] + " with " + resolution.name().toLowerCase(java.util.Locale.ROOT));
    }
}
