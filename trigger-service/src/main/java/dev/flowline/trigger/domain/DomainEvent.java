package dev.flowline.trigger.domain;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    private static final Pattern VERSION_AT_END = Pattern.compile("(\\d+\\.\\d+\\.\\d+(?:-[0-9A-Za-z.-]+)?)$");

    /** The event-type version an event names: the {@code dataversion} extension, or a version ending its dataschema. */
    public static String dataVersion(String dataVersion, String dataSchema) {
        if (dataVersion != null && !dataVersion.isBlank()) {
            return dataVersion;
        }
        if (dataSchema != null) {
            Matcher m = VERSION_AT_END.matcher(dataSchema);
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

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
