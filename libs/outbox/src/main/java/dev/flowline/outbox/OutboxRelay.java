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
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import dev.flowline.contracts.MessageHeaders;
import dev.flowline.servicekit.reactive.InOrder;

/**
 * Publishes committed outbox messages to Kafka, oldest first, and marks them sent in the same transaction that locked
 * them. A message that fails is recorded (its error, a later next attempt) without holding back the others, and is
 * parked after {@code flowline.outbox.max-failures} failures (metric {@code flowline.outbox.parked}, an error log
 * line saying how to release it). A crash before the commit leaves them unsent, so they are published again later: delivery is at-least-once,
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

    /** Failed attempts after which a message is parked (left for an operator). */
    @ConfigProperty(name = "flowline.outbox.max-failures", defaultValue = "10")
    int maxFailures;

    /** The producer's max.request.size: Kafka's default, which the broker's default message.max.bytes admits. */
    @ConfigProperty(name = "flowline.outbox.max-request-size", defaultValue = "1048576")
    int maxRequestSize;

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

    @Inject
    Pool pool;

    /** A round is in progress (package-visible for the shutdown drain's test). */
    final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile boolean paused;
    private KafkaProducer<String, String> producer;
    private Counter sent;
    private Counter failures;
    private Counter parked;

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

    /**
     * One round in one SQL-client transaction: claim up to a batch of due messages (locked, so another instance skips
     * them), publish them, record every outcome, commit. Plain SQL: hydrating entities cost more than the round.
     */
    private Uni<Integer> relayBatch() {
        String claim = "select seq, message_id, topic, message_key, message_type, payload, headers, attempts from "
                + table + " where sent_at is null and parked_at is null"
                + " and (next_attempt_at is null or next_attempt_at <= now()) order by seq limit " + batchSize
                + " for update skip locked";
        RoundTimes times = new RoundTimes();
        return pool.withTransaction(connection -> connection.query(claim).execute().flatMap(rows -> {
            times.claimed = System.nanoTime();
            List<Claimed> messages = new java.util.ArrayList<>(rows.size());
            rows.forEach(row -> messages.add(Claimed.of(row)));
            return publishAll(connection, messages, times);
        })).invoke(count -> {
            if (count > 0 && LOG.isDebugEnabled()) {
                LOG.debugf("relay round of %d: %s", (Object) count, times.describe(System.nanoTime()));
            }
        });
    }

    /** Where a round's time goes, for the debug log (docs/performance.md reads it). */
    private static final class RoundTimes {
        final long started = System.nanoTime();
        volatile long claimed;
        volatile long onWorker;
        volatile long handedOver;
        volatile long acknowledged;
        volatile long backOnLoop;

        String describe(long committed) {
            return String.format(java.util.Locale.ROOT,
                    "claim %.1f ms, to a worker %.1f ms, sends %.1f ms, acks %.1f ms, back %.1f ms, mark and commit"
                            + " %.1f ms",
                    ms(started, claimed), ms(claimed, onWorker), ms(onWorker, handedOver), ms(handedOver,
                            acknowledged),
                    ms(acknowledged, backOnLoop), ms(backOnLoop, committed));
        }

        private static double ms(long from, long to) {
            return (to - from) / 1e6;
        }
    }

    /** A claimed row: what the relay needs to publish it and to record its failure. */
    private record Claimed(long seq, java.util.UUID messageId, String topic, String key, String messageType,
            String payload, Map<String, String> headers, int attempts) {

        static Claimed of(Row row) {
            Map<String, String> headers = null;
            Object json = row.getValue("headers");
            if (json instanceof JsonObject object) {
                headers = new HashMap<>();
                for (Map.Entry<String, Object> header : object) {
                    headers.put(header.getKey(), String.valueOf(header.getValue()));
                }
            }
            return new Claimed(row.getLong("seq"), row.getUUID("message_id"), row.getString("topic"), row.getString(
                    "message_key"), row.getString("message_type"), row.getString("payload"), headers,
                    row.getInteger(
                            "attempts"));
        }
    }

    /** What became of one message's send: null error when Kafka acknowledged it. */
    private record SendResult(Claimed message, Exception error) {
    }

    /**
     * Publishes a claimed round and records each message's outcome: the sent ones are marked sent, each failed one gets
     * its error, a later next attempt and, after {@code max-failures} (or at once when no attempt can succeed), is
     * parked. A failed message never holds back the others. Answers how many were sent when all were, else 0.
     */
    private Uni<Integer> publishAll(SqlConnection connection, List<Claimed> messages, RoundTimes times) {
        if (messages.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        Context context = Vertx.currentContext();
        return Uni.createFrom().item(() -> sendInOrder(messages, times))
                // send() may block while it fetches metadata, and the acks are awaited: never on the event loop.
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                // Back to the transaction's context, where its connection lives.
                .emitOn(task -> context.runOnContext(ignored -> task.run()))
                .invoke(results -> times.backOnLoop = System.nanoTime())
                // A round with a failure ends this drain: the next wake or scheduled round goes on.
                .flatMap(results -> record(connection, results)
                        .replaceWith(results.size() == messages.size() && results.stream()
                                .allMatch(r -> r.error() == null) ? messages.size() : 0));
    }

    /**
     * Hands the messages to the producer one after the other, from this one thread, in sequence order, then waits for
     * every acknowledgement: the producer keeps that order per partition. A message that fails is retried later, so it
     * may then arrive after later messages with its key. Answers a result for each message handed over; a send that
     * fails before sending ends the round there.
     */
    private List<SendResult> sendInOrder(List<Claimed> messages, RoundTimes times) {
        times.onWorker = System.nanoTime();
        List<java.util.concurrent.Future<RecordMetadata>> acks = new java.util.ArrayList<>(messages.size());
        for (Claimed message : messages) {
            try {
                acks.add(producer().send(record(message)));
            } catch (RuntimeException e) {
                // send() failed before sending (no metadata within max.block.ms: Kafka unreachable, say). The rest of
                // the round would wait as long each; they stay pending, untouched, for the next round.
                acks.add(java.util.concurrent.CompletableFuture.failedFuture(e));
                break;
            }
        }
        times.handedOver = System.nanoTime();
        List<SendResult> results = new java.util.ArrayList<>(acks.size());
        for (int i = 0; i < acks.size(); i++) {
            try {
                acks.get(i).get();
                results.add(new SendResult(messages.get(i), null));
            } catch (java.util.concurrent.ExecutionException e) {
                results.add(new SendResult(messages.get(i), e.getCause() instanceof Exception cause
                        ? cause
                        : e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                results.add(new SendResult(messages.get(i), e));
            }
        }
        times.acknowledged = System.nanoTime();
        return results;
    }

    private Uni<Void> record(SqlConnection connection, List<SendResult> results) {
        Long[] sentSeqs = results.stream().filter(r -> r.error() == null).map(r -> r.message().seq()).toArray(
                Long[]::new);
        Instant now = Instant.now();
        Uni<Void> marked = Uni.createFrom().voidItem();
        if (sentSeqs.length > 0) {
            // One statement marks the sent ones.
            String markSent = "update " + table + " set sent_at = $1, attempts = attempts + 1, next_attempt_at = null"
                    + " where seq = any($2::bigint[])";
            marked = connection.preparedQuery(markSent).execute(Tuple.of(utc(now), sentSeqs)).invoke(
                    ignored -> sent().increment(sentSeqs.length)).replaceWithVoid();
        }
        List<SendResult> failed = results.stream().filter(r -> r.error() != null).toList();
        return marked.flatMap(ignored -> InOrder.each(failed, result -> recordFailure(connection, result.message(),
                result.error(), now)));
    }

    private Uni<Void> recordFailure(SqlConnection connection, Claimed message, Exception error, Instant now) {
        int failures = message.attempts() + 1;
        boolean hopeless = !(error instanceof RetriableException) && (error instanceof RecordTooLargeException
                || error instanceof SerializationException || error instanceof InvalidTopicException);
        boolean park = hopeless || failures >= maxFailures;
        Instant next = now.plus(backoff(failures));
        String reason = error.getClass().getSimpleName() + ": " + error.getMessage();
        failures().increment();
        if (park) {
            parked().increment();
            LOG.errorf(
                    "outbox message %s (%s to %s, key %s) parked after %d failed attempt(s): %s. Fix the cause, then "
                            + "set parked_at to null in the outbox table to publish it again.",
                    message.messageId(), message.messageType(), message.topic(), message.key(), failures, reason);
        } else {
            LOG.warnf("outbox message %s (%s to %s) failed to publish (attempt %d of %d), next attempt at %s: %s",
                    message.messageId(), message.messageType(), message.topic(), failures, maxFailures, next, reason);
        }
        String update = "update " + table + " set attempts = attempts + 1, last_error = $1, next_attempt_at = $2,"
                + " parked_at = $3 where seq = $4";
        return connection.preparedQuery(update).execute(Tuple.of(reason.length() > 2000
                ? reason.substring(0, 2000)
                : reason, utc(next), park ? utc(now) : null, message.seq())).replaceWithVoid();
    }

    private static java.time.OffsetDateTime utc(Instant instant) {
        return instant.atOffset(java.time.ZoneOffset.UTC);
    }

    /** The delay after the {@code failures}-th failure: doubling from one second, at most five minutes. */
    static java.time.Duration backoff(int failures) {
        long seconds = 1L << Math.min(Math.max(failures - 1, 0), 9);
        return java.time.Duration.ofSeconds(Math.min(seconds, 300));
    }

    private ProducerRecord<String, String> record(Claimed message) {
        ProducerRecord<String, String> record = new ProducerRecord<>(message.topic(), message.key(),
                message.payload());
        record.headers().add(MessageHeaders.MESSAGE_ID, message.messageId().toString().getBytes(
                StandardCharsets.UTF_8));
        record.headers().add(MessageHeaders.MESSAGE_TYPE, message.messageType().getBytes(StandardCharsets.UTF_8));
        if (message.headers() != null) {
            message.headers()
                    .forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        }
        return record;
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
            // The largest record this service publishes; keep the broker's message.max.bytes at least this large.
            config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequestSize);
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
            failures = Counter.builder("flowline.outbox.relay.failures").description(
                    "failed relay rounds and failed publication attempts of single messages").register(registry);
        }
        return failures;
    }

    private Counter parked() {
        if (parked == null) {
            parked = Counter.builder("flowline.outbox.parked").description(
                    "messages given up on after too many failures, or one no attempt can change").register(registry);
        }
        return parked;
    }

    /**
     * How long shutdown waits for the relay round in progress: its sends' delivery timeout (30 s) plus the producer's
     * longest block (10 s). A pod's {@code terminationGracePeriodSeconds} must be above it (k8s/base).
     */
    public static final String DRAIN_TIMEOUT = "40s";

    @ConfigProperty(name = "flowline.outbox.drain-timeout", defaultValue = DRAIN_TIMEOUT)
    java.time.Duration drainTimeout;

    /**
     * On shutdown no new round starts and the one in progress may finish, so that what it published is marked sent
     * and a replacement instance does not publish it again. Runs while the event loop is still up.
     */
    void drainOnShutdown(@Observes ShutdownEvent event) throws InterruptedException {
        paused = true;
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (running.get() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if (running.get()) {
            LOG.warnf("shutdown: the outbox relay round in progress did not finish within %s; its messages will be "
                    + "published again after the restart", drainTimeout);
        }
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }
}
