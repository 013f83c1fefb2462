package dev.flowline.outbox;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Records a message for publication in the caller's current reactive transaction. Call it inside the same
 * {@code Panache.withTransaction} (or {@code @WithTransaction}) that writes the state change: both commit or neither
 * does, and {@link OutboxRelay} publishes what committed, even after a crash.
 */
@ApplicationScoped
public class Outbox {

    /** One round trip for any number of rows; {@code with ordinality} keeps the list's order in the sequence. */
    private final String insertAll;

    @Inject
    Outbox(@ConfigProperty(name = "quarkus.hibernate-orm.database.default-schema") Optional<String> schema) {
        String table = schema.map(s -> s + ".outbox").orElse("outbox");
        this.insertAll = "insert into " + table
                + " (message_id, topic, message_key, message_type, payload, headers, created_at)"
                + " select id, topic, message_key, message_type, payload, headers::jsonb, created_at from unnest("
                + "$1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])"
                + " with ordinality as m(id, topic, message_key, message_type, payload, headers, created_at, n)"
                + " order by n";
    }

    /** For CDI proxies only. */
    protected Outbox() {
        this.insertAll = null;
    }

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

    /** Wakes the relay; for a caller that committed outbox rows with {@link #insertAll} in its own transaction. */
    public void committed() {
        relay.wake();
    }

    /**
     * A message ready to be written: serialised once, for {@link #insertAll}. Fails when the payload cannot be
     * serialised.
     */
    public OutboxRow row(String topic, String key, String messageType, UUID messageId, Object payload,
            Map<String, String> headers) {
        try {
            return new OutboxRow(messageId, topic, key, messageType, objectMapper.writeValueAsString(payload),
                    headers == null || headers.isEmpty() ? null : objectMapper.writeValueAsString(headers),
                    Instant.now());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("outbox payload is not serializable", e);
        }
    }

    /**
     * Writes {@code rows} in one statement on {@code connection}, inside the caller's SQL-client transaction, in list
     * order (the relay publishes by sequence). The hot paths use this instead of one entity insert per message; call
     * {@link #committed()} once the transaction committed.
     */
    public Uni<Void> insertAll(SqlConnection connection, List<OutboxRow> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = rows.size();
        UUID[] ids = new UUID[n];
        String[] topics = new String[n];
        String[] keys = new String[n];
        String[] types = new String[n];
        String[] payloads = new String[n];
        String[] headers = new String[n];
        OffsetDateTime[] created = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            OutboxRow row = rows.get(i);
            ids[i] = row.messageId();
            topics[i] = row.topic();
            keys[i] = row.key();
            types[i] = row.messageType();
            payloads[i] = row.payload();
            headers[i] = row.headers();
            created[i] = row.createdAt().atOffset(ZoneOffset.UTC);
        }
        return connection.preparedQuery(insertAll).execute(Tuple.tuple().addValue(ids).addValue(topics)
                .addValue(keys).addValue(types).addValue(payloads).addValue(headers).addValue(created))
                .replaceWithVoid();
    }

    public Uni<OutboxMessage> enqueue(String topic, String key, String messageType, UUID messageId, Object payload) {
        return enqueue(topic, key, messageType, messageId, payload, null);
    }

    /** As {@link #enqueue(String, String, String, UUID, Object)}, with extra record headers. */
    public Uni<OutboxMessage> enqueue(String topic, String key, String messageType, UUID messageId, Object payload,
            Map<String, String> headers) {
        OutboxRow row;
        try {
            row = row(topic, key, messageType, messageId, payload, headers);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(e);
        }
        return enqueue(row);
    }

    /**
     * Enqueues a message built by {@link #row} as an entity, inside the caller's Hibernate Reactive transaction: the
     * same message a batched writer would write with {@link #insertAll}.
     */
    public Uni<OutboxMessage> enqueue(OutboxRow row) {
        OutboxMessage message = new OutboxMessage();
        try {
            message.headers = row.headers() == null
                    ? null
                    : Map.copyOf(objectMapper.readValue(row.headers(),
                            new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {
                            }));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalArgumentException("outbox headers are not a JSON object", e));
        }
        message.messageId = row.messageId();
        message.topic = row.topic();
        message.messageKey = row.key();
        message.messageType = row.messageType();
        message.createdAt = row.createdAt();
        message.payload = row.payload();
        return message.persist();
    }
}
