package dev.flowline.servicekit.messaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

import dev.flowline.contracts.MessageHeaders;

/**
 * Hands each record of a topic that carries several message types to the handler of its type, read by the
 * {@code flowline-message-type} header. The one place consumers of shared topics decide what a record is: a record of
 * a type with no handler, without a type, a tombstone or one that does not read as its type is logged, counted
 * ({@code flowline.messages.skipped}, by topic and reason) and skipped; it is never read as another record and never
 * stops the channel. A handler that fails for a transient reason (the database down) is run again by
 * {@link TransientRetry} until it succeeds, so the record waits instead of being lost; a permanent failure fails the
 * channel (health goes down), since these topics have no dead letters and skipping would lose the message.
 */
public final class MessageDispatcher {

    private static final Logger LOG = Logger.getLogger(MessageDispatcher.class);

    /** Why a record was skipped: the {@code reason} tag of the skip counter. */
    public enum SkipReason {
        TOMBSTONE("tombstone"), UNTYPED("untyped"), UNKNOWN_TYPE("unknown-type"), UNREADABLE("unreadable");

        private final String tag;

        SkipReason(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    /** A typed message and the id its producer gave it (null when the record carried none). */
    public record Envelope<T>(UUID messageId, String messageType, T message) {
    }

    private record Route<T>(Class<T> type, Function<Envelope<T>, Uni<Void>> handler) {
    }

    private final String topic;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final Map<String, Route<?>> routes = new LinkedHashMap<>();
    private TransientRetry retry;

    public MessageDispatcher(String topic, ObjectMapper json, MeterRegistry registry) {
        this.topic = topic;
        this.json = json;
        this.registry = registry;
        this.retry = TransientRetry.forChannel(topic, registry);
    }

    /** Also retries (instead of failing the channel) the handler failures {@code retryable} accepts. */
    public MessageDispatcher alsoRetrying(java.util.function.Predicate<Throwable> retryable) {
        retry = retry.alsoRetrying(retryable);
        return this;
    }

    /** Replaces the retry's delays (tests). */
    MessageDispatcher retryDelays(java.time.Duration initial, java.time.Duration max) {
        retry = retry.withDelays(initial, max);
        return this;
    }

    /** Handles records whose type header is {@code messageType} as {@code type}. */
    public <T> MessageDispatcher on(String messageType, Class<T> type, Function<Envelope<T>, Uni<Void>> handler) {
        routes.put(messageType, new Route<>(type, handler));
        return this;
    }

    public Uni<Void> dispatch(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return skip(record, SkipReason.TOMBSTONE, null, "a tombstone");
        }
        String type = header(record, MessageHeaders.MESSAGE_TYPE);
        if (type == null) {
            return skip(record, SkipReason.UNTYPED, null, "no " + MessageHeaders.MESSAGE_TYPE + " header");
        }
        Route<?> route = routes.get(type);
        if (route == null) {
            return skip(record, SkipReason.UNKNOWN_TYPE, type, "no handler for this type here");
        }
        return handle(route, type, record);
    }

    private <T> Uni<Void> handle(Route<T> route, String type, ConsumerRecord<String, byte[]> record) {
        T message;
        try {
            message = json.readValue(record.value(), route.type());
        } catch (IOException | RuntimeException e) {
            return skip(record, SkipReason.UNREADABLE, type, e.getMessage());
        }
        if (message == null) {
            return skip(record, SkipReason.UNREADABLE, type, "the value is JSON null");
        }
        UUID messageId = null;
        String id = header(record, MessageHeaders.MESSAGE_ID);
        if (id != null) {
            try {
                messageId = UUID.fromString(id);
            } catch (IllegalArgumentException e) {
                return skip(record, SkipReason.UNREADABLE, type, "message id '" + id + "' is not a UUID");
            }
        }
        Envelope<T> envelope = new Envelope<>(messageId, type, message);
        return retry.run(() -> route.handler().apply(envelope));
    }

    private Uni<Void> skip(ConsumerRecord<String, byte[]> record, SkipReason reason, String type, String detail) {
        if (reason == SkipReason.TOMBSTONE || reason == SkipReason.UNKNOWN_TYPE) {
            LOG.debugf("skipped %s record at %s-%d@%d (type %s): %s", reason.tag(), record.topic(), record.partition(),
                    record.offset(), type, detail);
        } else {
            LOG.warnf("skipped %s record at %s-%d@%d (type %s): %s", reason.tag(), record.topic(), record.partition(),
                    record.offset(), type, detail);
        }
        skipped(reason).increment();
        return Uni.createFrom().voidItem();
    }

    /** The skip counter of this topic for one reason. */
    public Counter skipped(SkipReason reason) {
        return Counter.builder("flowline.messages.skipped").description("records a consumer skipped, by reason")
                .tag("topic", topic).tag("reason", reason.tag()).register(registry);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
