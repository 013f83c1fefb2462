package dev.flowline.trigger.messaging;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.smallrye.mutiny.Uni;

import dev.flowline.trigger.domain.DomainEvent;
import dev.flowline.trigger.domain.EventProcessor;

/**
 * Reads CloudEvents (binary or structured Kafka mode) from {@code domain-events}, a poll's batch at a time. A batch is
 * acknowledged only after its transaction committed (commands and dead letters included), so a crash replays it and
 * the event ids make the replay a no-op.
 */
@ApplicationScoped
public class DomainEventsConsumer {

    @Inject
    EventProcessor processor;

    @Inject
    ObjectMapper json;

    @Incoming("domain-events")
    public Uni<Void> consume(ConsumerRecords<String, byte[]> records) {
        List<EventProcessor.Received> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            batch.add(read(record));
        }
        return processor.processBatch(batch);
    }

    private EventProcessor.Received read(ConsumerRecord<String, byte[]> record) {
        byte[] value = record.value() == null ? new byte[0] : record.value();
        String raw = new String(value, StandardCharsets.UTF_8);
        try {
            return new EventProcessor.Received(toDomainEvent(KafkaMessageFactory.createReader(record).toEvent(),
                    value.length), raw, null);
        } catch (RuntimeException e) {
            return new EventProcessor.Received(null, raw, "not a CloudEvent: " + e.getMessage());
        }
    }

    private DomainEvent toDomainEvent(CloudEvent event, int size) {
        JsonNode data = null;
        if (event.getData() != null) {
            try {
                data = json.readTree(event.getData().toBytes());
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("its data is not JSON: " + e.getMessage(), e);
            }
        }
        Object dataVersion = event.getExtension("dataversion");
        return new DomainEvent(event.getId(), event.getType(), event.getSource() == null
                ? null
                : event.getSource().toString(), event.getSubject(),
                event.getTime() == null
                        ? null
                        : event.getTime().toString(),
                DomainEvent.dataVersion(dataVersion == null ? null : dataVersion.toString(),
                        event.getDataSchema() == null ? null : event.getDataSchema().toString()),
                data, size);
    }
}
