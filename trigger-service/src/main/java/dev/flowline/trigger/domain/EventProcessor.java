package dev.flowline.trigger.domain;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

import dev.flowline.contracts.Topics;
import dev.flowline.contracts.WorkflowCommand;
import dev.flowline.outbox.Outbox;
import dev.flowline.servicekit.messaging.TransientRetry;
import dev.flowline.servicekit.problem.Problem.FieldError;
import dev.flowline.servicekit.reactive.InOrder;
import dev.flowline.trigger.persistence.EventRecord;
import dev.flowline.trigger.persistence.IntakeStatements;

/**
 * What happens to one event, in one transaction: it is recorded once (a redelivery is recognised by its id and does
 * nothing), validated against the registry, evaluated against the active triggers of its type, and every firing
 * becomes a command with an id derived from (trigger, event). Rejected events from Kafka go to the dead-letter topic
 * through the outbox, so neither a command nor a dead letter is lost if the service dies after the commit.
 */
@ApplicationScoped
public class EventProcessor {

    private static final Logger LOG = Logger.getLogger(EventProcessor.class);

    public static final String DEAD_LETTER_TYPE = "dead-letter/v1";
    public static final String REASON_HEADER = "flowline-dlq-reason";

    /** What became of the event. */
    public enum Status {
        EVALUATED, DUPLICATE, REJECTED
    }

    public record Outcome(Status status, String eventId, List<UUID> commandIds, EventValidator.Verdict verdict) {
    }

    @Inject
    EventValidator validator;

    @Inject
    TriggerSet triggers;

    @Inject
    TriggerValidator triggerValidator;

    @Inject
    CommandService commands;

    @Inject
    Outbox outbox;

    @Inject
    MeterRegistry registry;

    @Inject
    Pool pool;

    @Inject
    IntakeStatements statements;

    Clock clock = Clock.systemUTC();

    /** The database down or restarting: the batch waits (and consumption with it) instead of being dead-lettered. */
    private TransientRetry transientRetry;

    @PostConstruct
    void retry() {
        transientRetry = TransientRetry.forChannel(Topics.DOMAIN_EVENTS, registry);
    }

    /** One record from Kafka: the event, or why it could not be read as one; {@code raw} is kept for a dead letter. */
    public record Received(DomainEvent event, String raw, String unreadable) {
    }

    /**
     * @param raw the event as received, for the dead letter
     * @param deadLetter whether a rejected event goes to the dead-letter topic (Kafka) or is only answered (HTTP)
     */
    public Uni<Outcome> process(DomainEvent event, String raw, boolean deadLetter) {
        return outbox.transaction(() -> handle(event, raw, deadLetter, null, inTransaction()));
    }

    private IntakeWrites inTransaction() {
        return new IntakeWrites.InTransaction(commands, outbox);
    }

    /**
     * Processes a poll's worth of Kafka records with one query for the ids seen before and one transaction for all
     * the writes (one statement per table: {@link IntakeWrites.Batched}); per-event round trips are what kept the
     * intake from keeping up with a busy topic. A transient failure (see {@link TransientRetry}) runs the batch again
     * until the database answers; any other failure has each record retried in a transaction of its own, so one bad
     * record cannot hold the others back, and a record that still fails is dead-lettered with the error, never
     * dropped.
     */
    /** Batches that failed as a whole and had their records processed one by one (each in its own transaction). */
    public static final String BATCH_FALLBACKS = "flowline.intake.batch.fallbacks";

    public Uni<Void> processBatch(List<Received> batch) {
        List<String> ids = batch.stream().filter(r -> r.event() != null && r.event().id() != null)
                .map(r -> r.event().id()).distinct().toList();
        long started = System.nanoTime();
        return transientRetry.run(() -> {
            IntakeWrites.Batched writes = new IntakeWrites.Batched(commands, outbox);
            // Reads (seen ids, event types, triggers) in a session; the writes after it, in one SQL transaction.
            // The collected writes complete at once: InOrder, not a flatMap chain, or 200 of them overflow the stack.
            return seen(ids).flatMap(seen -> Panache.withSession(() -> InOrder.each(batch,
                    received -> handleReceived(received, seen, writes)))).flatMap(v -> writes.write(pool,
                            statements));
        }).invoke(() -> LOG.debugf("batch of %d events in %.1f ms", (Object) batch.size(),
                (System.nanoTime() - started) / 1e6)).onFailure().recoverWithUni(e -> {
                    LOG.warnf("a batch of %d events failed (%s); processing them one by one", batch.size(),
                            e.toString());
                    registry.counter(BATCH_FALLBACKS).increment();
                    return InOrder.each(batch, this::processAlone);
                });
    }

    /**
     * One record in its own transaction. A permanent failure is tried once more (a clash with another instance's
     * insert reads the winner's row the second time) before the record is dead-lettered.
     */
    private Uni<Void> processAlone(Received received) {
        return transientRetry.run(() -> outbox.transaction(() -> handleReceived(received, null, inTransaction())))
                .onFailure()
                .retry().atMost(1).onFailure().recoverWithUni(e -> {
                    DomainEvent event = received.event();
                    ObjectNode details = JsonNodeFactory.instance.objectNode().put("problem", e.toString());
                    return transientRetry.run(() -> outbox.transaction(() -> deadLetter(event == null
                            ? null
                            : event.id(), received.raw(), "processing-failed", details, inTransaction())));
                });
    }

    /** The ids among {@code ids} that were processed before: one query per batch instead of one per event. */
    private Uni<Set<String>> seen(List<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(new HashSet<>());
        }
        return statements.recordedAmong(pool, ids);
    }

    private Uni<Void> handleReceived(Received received, Set<String> seen, IntakeWrites writes) {
        if (received.event() == null) {
            ObjectNode details = JsonNodeFactory.instance.objectNode().put("problem", received.unreadable());
            return deadLetter(null, received.raw(), "unreadable", details, writes);
        }
        return handle(received.event(), received.raw(), true, seen, writes).replaceWithVoid();
    }

    /**
     * The work on one event, inside the caller's transaction.
     *
     * @param seen the batch's already-processed ids (this event's id is added); {@code null} to look the id up
     */
    private Uni<Outcome> handle(DomainEvent event, String raw, boolean deadLetter, Set<String> seen,
            IntakeWrites writes) {
        Uni<Boolean> duplicate;
        if (event.id() == null) {
            duplicate = Uni.createFrom().item(false);
        } else if (seen != null) {
            duplicate = Uni.createFrom().item(!seen.add(event.id()));
        } else {
            duplicate = EventRecord.findById(event.id()).map(found -> found != null);
        }
        return duplicate.flatMap(isDuplicate -> {
            if (isDuplicate) {
                return Uni.createFrom().item(new Outcome(Status.DUPLICATE, event.id(), List.of(), null));
            }
            return validator.validate(event).flatMap(verdict -> verdict.accepted()
                    ? evaluate(event, verdict, writes)
                    : reject(event, raw, verdict, deadLetter, writes));
        });
    }

    /** Validation only, for the HTTP intake's all-or-nothing check of a batch. */
    public Uni<EventValidator.Verdict> check(DomainEvent event) {
        return Panache.withSession(() -> validator.validate(event));
    }

    private Uni<Outcome> evaluate(DomainEvent event, EventValidator.Verdict verdict, IntakeWrites writes) {
        String version = verdict.eventType().version();
        return triggers.forType(event.type()).flatMap(index -> {
            JsonNode envelope = event.envelope();
            List<TriggerSet.Compiled> compiled = index.candidates(envelope);
            List<TriggerEvaluator.Result> results = evaluateAll(compiled, envelope, version);
            ArrayNode evaluation = JsonNodeFactory.instance.arrayNode();
            List<UUID> commandIds = new ArrayList<>();
            List<WorkflowCommand> commands = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                TriggerEvaluator.Result result = results.get(i);
                ObjectNode json = result.toJson();
                evaluation.add(json);
                if (result.fired()) {
                    var trigger = compiled.get(i).trigger();
                    UUID commandId = WorkflowCommand.triggerCommandId(trigger.id, event.id());
                    json.put("commandId", commandId.toString());
                    commandIds.add(commandId);
                    WorkflowCommand command = new WorkflowCommand(commandId, trigger.workflow,
                            trigger.workflowVersion, result.parameters(), new WorkflowCommand.Source(
                                    WorkflowCommand.SourceType.TRIGGER, null, trigger.id, event.id(), null, null),
                            Instant.now(clock));
                    commands.add(command);
                }
            }
            ObjectNode summary = JsonNodeFactory.instance.objectNode();
            summary.put("eventTypeVersion", version);
            summary.put("activeTriggers", index.size());
            if (index.indexedPath() != null) {
                // Triggers filed under another value of the indexed path cannot match and were not evaluated.
                summary.put("indexedPath", index.indexedPath().toString());
                summary.put("notEvaluated", index.size() - compiled.size());
            }
            summary.set("triggers", evaluation);
            // InOrder, not a flatMap chain: a batched write completes at once, and an event firing many triggers
            // would nest one call per command.
            return InOrder.each(commands, writes::command)
                    .flatMap(v -> writes.event(record(event, "evaluated", null, summary)))
                    .replaceWith(new Outcome(Status.EVALUATED, event.id(), commandIds, verdict));
        });
    }

    private List<TriggerEvaluator.Result> evaluateAll(List<TriggerSet.Compiled> compiled, JsonNode envelope,
            String version) {
        List<TriggerEvaluator.Result> results = new ArrayList<>(compiled.size());
        for (TriggerSet.Compiled trigger : compiled) {
            results.add(TriggerEvaluator.evaluate(trigger, envelope, version, clock));
        }
        return results;
    }

    /** What a dry run found: whether the event would be accepted, and each trigger's evaluation. */
    public record DryRun(boolean accepted, String reason, List<FieldError> errors, List<ObjectNode> triggers) {
    }

    /**
     * What would happen to an event, emitting and recording nothing: its validation, and the evaluation of the active
     * triggers of its type as {@link #process} would evaluate them, plus an optional unsaved trigger (validated as a
     * save would, marked {@code draft}).
     */
    public Uni<DryRun> dryRun(DomainEvent event, TriggerSpec draft) {
        return Panache.withSession(() -> {
            Uni<Void> draftCheck = draft == null ? Uni.createFrom().voidItem() : triggerValidator.validate(draft);
            return draftCheck.flatMap(ok -> validator.validate(event)).flatMap(verdict -> {
                if (!verdict.accepted()) {
                    return Uni.createFrom().item(new DryRun(false, verdict.reason(), verdict.errors(), List.of()));
                }
                String version = verdict.eventType().version();
                return triggers.forType(event.type()).map(index -> {
                    JsonNode envelope = event.envelope();
                    List<ObjectNode> results = new ArrayList<>();
                    evaluateAll(index.candidates(envelope), envelope, version).forEach(r -> results.add(r.toJson()));
                    if (draft != null && draft.eventType().equals(event.type())) {
                        ObjectNode json = TriggerEvaluator.evaluate(TriggerSet.compile(TriggerService.draft(draft)),
                                envelope, version, clock).toJson();
                        json.put("draft", true);
                        results.add(json);
                    }
                    return new DryRun(true, null, List.of(), results);
                });
            });
        });
    }

    private Uni<Outcome> reject(DomainEvent event, String raw, EventValidator.Verdict verdict, boolean deadLetter,
            IntakeWrites writes) {
        ObjectNode summary = JsonNodeFactory.instance.objectNode();
        summary.put("reason", verdict.reason());
        ArrayNode errors = summary.putArray("errors");
        for (FieldError error : verdict.errors()) {
            errors.addObject().put("pointer", error.pointer()).put("detail", error.detail());
        }
        Outcome outcome = new Outcome(Status.REJECTED, event.id(), List.of(), verdict);
        if (!deadLetter) {
            return Uni.createFrom().item(outcome);
        }
        Uni<Void> recorded = event.id() == null || event.id().isBlank()
                ? Uni.createFrom().voidItem()
                : writes.event(record(event, "rejected", verdict.reason(), summary));
        return recorded.flatMap(v -> deadLetter(event.id(), raw, verdict.reason(), summary, writes)).replaceWith(
                outcome);
    }

    /**
     * The most of a rejected event a dead letter embeds; the rest of the record (reason, details) stays far below the
     * outbox producer's max.request.size (1 MiB).
     */
    static final int MAX_DEAD_LETTER_EVENT_BYTES = 64 * 1024;

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(
                    bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends {@code raw} to the dead-letter topic (cut to 64 KiB) with the reason in a header and in the body. */
    private Uni<Void> deadLetter(String eventId, String raw, String reason, JsonNode details, IntakeWrites writes) {
        ObjectNode letter = JsonNodeFactory.instance.objectNode();
        letter.put("eventId", eventId);
        letter.put("reason", reason);
        letter.set("details", details);
        byte[] bytes = raw == null ? new byte[0] : raw.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (bytes.length > MAX_DEAD_LETTER_EVENT_BYTES) {
            // A dead letter must always be publishable: the event is cut (its size and digest say what it was).
            letter.put("event", new String(bytes, 0, MAX_DEAD_LETTER_EVENT_BYTES,
                    java.nio.charset.StandardCharsets.UTF_8));
            letter.put("eventTruncated", true);
            letter.put("eventBytes", bytes.length);
            letter.put("eventSha256", sha256(bytes));
        } else {
            letter.put("event", raw);
        }
        letter.put("receivedAt", Instant.now(clock).toString());
        String key = eventId == null || eventId.isBlank() ? UUID.randomUUID().toString() : eventId;
        return writes.message(Topics.DOMAIN_EVENTS_DLQ, key, DEAD_LETTER_TYPE, UUID.randomUUID(), letter,
                Map.of(REASON_HEADER, reason));
    }

    private EventRecord record(DomainEvent event, String outcome, String reason, JsonNode evaluation) {
        EventRecord record = new EventRecord();
        record.eventId = event.id();
        record.eventType = event.type();
        record.source = event.source();
        record.receivedAt = Instant.now(clock);
        record.outcome = outcome;
        record.reason = reason;
        record.evaluation = evaluation;
        return record;
    }
}
