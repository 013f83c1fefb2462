package dev.flowline.trigger.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A domain event as trigger-service sees it, whatever it arrived as (a CloudEvent on Kafka, JSON over HTTP, the legacy
 * {@code events.trigger} envelope).
 *
 * @param dataVersion the event-type version the producer names (CloudEvents {@code dataschema} or the
 *        {@code dataversion} extension), or null for the newest published
 * @param size the size of the event as received, in bytes
 */
public record DomainEvent(String id, String type, String source, String subject, String time, String dataVersion,
        JsonNode data, int size) {

    /** The envelope that {@code $.}-paths read: {@code $.id}, {@code $.type}, {@code $.source}, {@code $.data...}. */
    public ObjectNode envelope() {
        ObjectNode envelope = JsonNodeFactory.instance.objectNode();
        envelope.put("id", id);
        envelope.put("type", type);
        envelope.put("source", source);
        if (subject != null) {
            envelope.put("subject", subject);
        }
        if (time != null) {
            envelope.put("time", time);
        }
        envelope.set("data", data == null ? JsonNodeFactory.instance.nullNode() : data);
        return envelope;
    }
}
