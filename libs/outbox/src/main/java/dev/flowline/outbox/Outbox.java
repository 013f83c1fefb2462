package dev.flowline.outbox;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Records a message for publication in the caller's current reactive transaction. Call it inside the same
 * {@code Panache.withTransaction} (or {@code @WithTransaction}) that writes the state change: both commit or neither
 * does, and {@link OutboxRelay} publishes what committed, even after a crash.
 */
@ApplicationScoped
public class Outbox {

    @Inject
    ObjectMapper objectMapper;

    @Inject
    OutboxRelay relay;

    /**
     * Runs {@code work} in a new (or the current) transaction and, once it committed, wakes the relay so that what it
     * enqueued is published right away rather than at the next scheduled round.
     */
    public <T> Uni<T> transaction(Supplier<Uni<T>> work) {
        return Panache.withTransaction(work).invoke(relay::wake);
    }

    public Uni<OutboxMessage> enqueue(String topic, String key, String messageType, UUID messageId, Object payload) {
        return enqueue(topic, key, messageType, messageId, payload, null);
    }

    /** As {@link #enqueue(String, String, String, UUID, Object)}, with extra record headers. */
    public Uni<OutboxMessage> enqueue(String topic, String key, String messageType, UUID messageId, Object payload,
            Map<String, String> headers) {
        OutboxMessage message = new OutboxMessage();
        message.headers = headers == null || headers.isEmpty() ? null : Map.copyOf(headers);
        message.messageId = messageId;
        message.topic = topic;
        message.messageKey = key;
        message.messageType = messageType;
        message.createdAt = Instant.now();
        try {
            message.payload = objectMapper.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalArgumentException("outbox payload is not serializable", e));
        }
        return message.persist();
    }
}
