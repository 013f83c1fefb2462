package dev.flowline.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import dev.flowline.contracts.MessageHeaders;

/**
 * Publishes committed outbox messages to Kafka, oldest first, and marks them sent in the same transaction that locked
 * them. A crash before the commit leaves them unsent, so they are published again later: delivery is at-least-once,
 * and every record carries its {@link MessageHeaders#MESSAGE_ID} so consumers drop the duplicate. Several instances
 * can relay at once: rows are claimed with {@code FOR UPDATE SKIP LOCKED}.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    @ConfigProperty(name = "flowline.outbox.batch-size", defaultValue = "100")
    int batchSize;

    @ConfigProperty(name = "flowline.outbox.enabled", defaultValue = "true")
    boolean enabled;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    MeterRegistry registry;

    /** Native SQL is not subject to Hibernate's default schema, so the claim query names it. */
    private final String table;

    @Inject
    OutboxRelay(@ConfigProperty(name = "quarkus.hibernate-orm.database.default-schema") Optional<String> schema) {
        this.table = schema.map(s -> s + ".outbox").orElse("outbox");
    }

    /** For CDI proxies only. */
    protected OutboxRelay() {
        this.table = "outbox";
    }

    @Inject
    Vertx vertx;

    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile boolean paused;
    private KafkaProducer<String, String> producer;
    private Counter sent;
    private Counter failures;

    /**
     * The safety net: whatever a {@link #wake()} missed (another instance's messages, a failed round) goes out within
     * one interval.
     */
    @Scheduled(every = "${flowline.outbox.relay-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void relayOnSchedule() {
        wake();
    }

    /**
     * Asks for a relay round now; call it after a transaction that enqueued messages committed, so they leave within
     * milliseconds instead of waiting for the next scheduled round. Calls while a round runs are folded into one more
     * round, so at most one round runs at a time on this instance.
     */
    public void wake() {
        if (!enabled || paused) {
            return;
        }
        pending.set(true);
        if (running.compareAndSet(false, true)) {
            // A fresh duplicated context: the caller's context may hold its own Hibernate Reactive session.
            Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
            VertxContextSafetyToggle.setContextSafe(context, true);
            context.runOnContext(ignored -> drain());
        }
    }

    private void drain() {
        pending.set(false);
        long started = System.nanoTime();
        relayPending().invoke(n -> LOG.debugf("relayed %d in %.1f ms", (Object) n, (System.nanoTime() - started) / 1e6))
                .onFailure().recoverWithItem(e -> {
                    failures().increment();
                    LOG.warnf("outbox relay failed, will retry: %s", e.toString());
                    return 0;
                }).subscribe().with(count -> {
                    running.set(false);
                    // A wake() that arrived during this round saw running=true and left the work to us.
                    if (pending.get() && !paused && running.compareAndSet(false, true)) {
                        drain();
                    }
                });
    }

    /** Stops publishing (the pending messages stay in the table); for maintenance and for tests of a crash. */
    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
        wake();
    }

    /** Publishes pending messages until none are left; answers how many were sent. */
    public Uni<Integer> relayPending() {
        return relayBatch().flatMap(count -> count < batchSize
                ? Uni.createFrom().item(count)
                : relayPending().map(more -> count + more));
    }

    private Uni<Integer> relayBatch() {
        String claim = "select * from " + table + " where sent_at is null order by seq limit " + batchSize
                + " for update skip locked";
        return Panache.withTransaction(() -> Panache.getSession()
                .flatMap(session -> session.createNativeQuery(claim, OutboxMessage.class).getResultList())
                .flatMap(this::publishAll));
    }

    private Uni<Integer> publishAll(List<OutboxMessage> messages) {
        if (messages.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        Context context = Vertx.currentContext();
        // All sends are issued in sequence order before any is awaited: the idempotent producer keeps that order.
        List<Uni<RecordMetadata>> sends = messages.stream().map(m -> send(m, context)).toList();
        List<Long> seqs = messages.stream().map(m -> m.seq).toList();
        // One statement marks the whole round sent (entity updates would cost a round trip per message).
        String markSent = "update " + table + " set sent_at = :now, attempts = attempts + 1 where seq in (:seqs)";
        return Uni.join().all(sends).andFailFast()
                .flatMap(acks -> Panache.getSession().flatMap(session -> session.createNativeQuery(markSent)
                        .setParameter("now", Instant.now()).setParameter("seqs", seqs).executeUpdate()))
                .map(updated -> {
                    sent().increment(messages.size());
                    return messages.size();
                });
    }

    private Uni<RecordMetadata> send(OutboxMessage message, Context context) {
        ProducerRecord<String, String> record = new ProducerRecord<>(message.topic, message.messageKey,
                message.payload);
        record.headers().add(MessageHeaders.MESSAGE_ID, message.messageId.toString().getBytes(StandardCharsets.UTF_8));
        record.headers().add(MessageHeaders.MESSAGE_TYPE, message.messageType.getBytes(StandardCharsets.UTF_8));
        if (message.headers != null) {
            message.headers
                    .forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        }
        return Uni.createFrom().<RecordMetadata>emitter(emitter -> producer().send(record, (metadata, error) -> {
            // Back to the transaction's context: Hibernate Reactive must not be touched from the producer thread.
            context.runOnContext(ignored -> {
                if (error != null) {
                    emitter.fail(error);
                } else {
                    emitter.complete(metadata);
                }
            });
        }))
                // send() may block while it fetches metadata: never on the event loop.
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            Map<String, Object> config = new HashMap<>();
            kafkaConfig.forEach((key, value) -> {
                if (key.startsWith("bootstrap.") || key.startsWith("security.") || key.startsWith("sasl.")
                        || key.startsWith("ssl.")) {
                    config.put(key, value);
                }
            });
            config.put(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay");
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            // Rounds are woken per committed transaction; waiting to fill a batch would only add latency.
            config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
            config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
            config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            producer = new KafkaProducer<>(config);
        }
        return producer;
    }

    private Counter sent() {
        if (sent == null) {
            sent = Counter.builder("flowline.outbox.sent").description("outbox messages published")
                    .register(registry);
        }
        return sent;
    }

    private Counter failures() {
        if (failures == null) {
            failures = Counter.builder("flowline.outbox.relay.failures").description("failed relay rounds")
                    .register(registry);
        }
        return failures;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }
}
