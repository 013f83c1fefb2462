package dev.flowline.bridge.domain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;

import dev.flowline.bridge.persistence.RunEntity;
import dev.flowline.bridge.persistence.RunEventEntity;
import dev.flowline.bridge.persistence.RunJournalStatements;
import dev.flowline.bridge.persistence.StepAttemptEntity;
import dev.flowline.bridge.persistence.StoredJson;
import dev.flowline.contracts.Topics;
import dev.flowline.contracts.WorkflowRunEvent;
import dev.flowline.contracts.WorkflowRunEvent.Kind;
import dev.flowline.outbox.Outbox;
import dev.flowline.outbox.OutboxRow;

/**
 * Records what happens in runs: each lifecycle record is applied to the runs projection and enqueued on the outbox
 * (with whatever else it carries, for example the run update trigger-service reads) in one transaction, once per
 * message id. Inngest replays a run's code, and a step's body may run again after a crash; both produce the same ids,
 * so nothing is published or applied twice.
 */
@ApplicationScoped
public class RunJournal {

    /** Another message that leaves with a lifecycle record, in the same transaction. */
    public record Attached(String topic, String key, String messageType, UUID messageId, Object payload) {
    }

    @Inject
    Outbox outbox;

    @Inject
    ObjectMapper json;

    @Inject
    RunJournalStatements statements;

    @Inject
    Pool pool;

    @ConfigProperty(name = "flowline.runner.started-record-delay")
    Duration startedRecordDelay;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    /**
     * Records {@code event} (and {@code attached}) in one transaction; answers false when it had been recorded already,
     * or when it changed nothing that is announced.
     */
    public Uni<Boolean> record(WorkflowRunEvent event, List<Attached> attached) {
        return record(List.of(event), attached);
    }

    /**
     * Records {@code events}, all of one run and, for steps, of one attempt, in order, in one transaction (with
     * {@code attached} after them); answers whether the last was announced.
     */
    Uni<Boolean> record(List<WorkflowRunEvent> events, List<Attached> attached) {
        List<RunEventEntity> entries = new ArrayList<>();
        List<OutboxRow> announcements = new ArrayList<>();
        List<OutboxRow> extra = new ArrayList<>();
        try {
            for (WorkflowRunEvent event : events) {
                RunEventEntity entry = new RunEventEntity();
                entry.messageId = event.messageId();
                entry.runId = event.runId();
                entry.kind = event.kind().name();
                entry.at = event.at();
                entry.record = json.valueToTree(event);
                entries.add(entry);
                announcements.add(outbox.row(Topics.WORKFLOW_LIFECYCLE, event.runId(), WorkflowRunEvent.MESSAGE_TYPE,
                        event.messageId(), event, null));
            }
            for (Attached message : attached) {
                extra.add(outbox.row(message.topic(), message.key(), message.messageType(), message.messageId(),
                        message.payload(), null));
            }
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(e);
        }
        WorkflowRunEvent last = events.get(events.size() - 1);
        StepAttemptEntity.Key attemptKey = last.kind().endsRun() || last.kind() == Kind.RUN_STARTED
                ? null
                : new StepAttemptEntity.Key(last.runId(), last.stepId(), last.execution(), last.attempt());
        // BEGIN travels with the first round and COMMIT with the second (the connection pipelines them), instead of
        // each waiting for its own round trip as the pool's withTransaction does: two waits per transaction, not four.
        return pool.withConnection(connection -> Uni.combine().all().unis(statements.begin(connection), statements
                .claim(connection, entries, attemptKey)).with((begun, found) -> found).flatMap(found -> {
                    RunEntity newRun = null;
                    RunEntity changedRun = null;
                    StepAttemptEntity attempt = null;
                    boolean failEarlier = false;
                    boolean announced = false;
                    List<OutboxRow> messages = new ArrayList<>();
                    RunJournalStatements.Locked state = found;
                    for (int i = 0; i < events.size(); i++) {
                        WorkflowRunEvent event = events.get(i);
                        if (!found.firstTime().contains(event.messageId())) {
                            announced = false;
                            continue;
                        }
                        Changes changes = apply(event, state);
                        newRun = changes.newRun() != null ? changes.newRun() : newRun;
                        changedRun = changes.changedRun() != null ? changes.changedRun() : changedRun;
                        attempt = changes.attempt() != null ? changes.attempt() : attempt;
                        failEarlier |= changes.failEarlierAttempts();
                        announced = changes.announce();
                        if (announced) {
                            messages.add(announcements.get(i));
                        }
                        // The next record of the transaction finds what this one left.
                        RunEntity run = newRun != null ? newRun : changedRun != null ? changedRun : state.run();
                        state = new RunJournalStatements.Locked(found.firstTime(), run, attempt != null
                                ? attempt
                                : state.attempt());
                    }
                    if (announced) {
                        messages.addAll(extra);
                    }
                    List<Uni<Void>> writes = new ArrayList<>();
                    if (newRun != null) {
                        // Holds what later records of the transaction changed too.
                        writes.add(statements.insertRun(connection, newRun));
                    } else if (changedRun != null) {
                        writes.add(statements.updateRun(connection, changedRun));
                    }
                    if (attempt != null) {
                        writes.add(statements.upsertAttempt(connection, attempt));
                        if (failEarlier) {
                            writes.add(statements.failEarlierAttempts(connection, attemptKey, last.at()));
                        }
                    }
                    if (!messages.isEmpty()) {
                        writes.add(outbox.insertAll(connection, messages));
                    }
                    // Last: a write that failed has aborted the transaction, and this COMMIT then rolls it back.
                    writes.add(statements.commit(connection));
                    Recorded recorded = new Recorded(announced, !messages.isEmpty());
                    return Uni.join().all(writes).andFailFast().replaceWith(recorded);
                }).onFailure().call(() -> statements.rollback(connection))).map(recorded -> {
                    if (recorded.enqueued()) {
                        outbox.committed();
                    }
                    return recorded.announced();
                });
    }

    /** What a transaction did: whether its last record was announced, whether it enqueued anything. */
    private record Recorded(boolean announced, boolean enqueued) {
    }

    /** {@link #record} from function code (a worker thread), waiting for the commit. */
    public boolean recordNow(WorkflowRunEvent event, List<Attached> attached) {
        return recordNow(List.of(event), attached);
    }

    private boolean recordNow(List<WorkflowRunEvent> events, List<Attached> attached) {
        long started = System.nanoTime();
        try {
            return Blocking.await(() -> record(events, attached));
        } finally {
            recordTimer().record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Holds a step's STEP_STARTED back for {@code flowline.runner.started-record-delay} while function code calls the
     * step: an outcome that comes within the delay is recorded with it in one transaction ({@link Pending#then});
     * otherwise STEP_STARTED is recorded on a worker thread when the delay ends, and the outcome after it. Either way
     * the records keep their order, and a step that runs longer than the delay shows as running.
     */
    public Pending recordSoon(WorkflowRunEvent started) {
        Pending pending = new Pending(started);
        CompletableFuture.delayedExecutor(startedRecordDelay.toNanos(), TimeUnit.NANOSECONDS, Infrastructure
                .getDefaultWorkerPool()).execute(pending::recordAlone);
        return pending;
    }

    /** A STEP_STARTED held back by {@link #recordSoon}. */
    public final class Pending {
        private final WorkflowRunEvent started;
        private final AtomicBoolean taken = new AtomicBoolean();
        private final CompletableFuture<Boolean> written = new CompletableFuture<>();

        private Pending(WorkflowRunEvent started) {
            this.started = started;
        }

        private void recordAlone() {
            if (taken.compareAndSet(false, true)) {
                try {
                    written.complete(recordNow(started, List.of()));
                } catch (RuntimeException e) {
                    written.completeExceptionally(e);
                }
            }
        }

        /**
         * Records {@code outcome} after STEP_STARTED, with it when it is still held back; throws what recording
         * STEP_STARTED threw.
         */
        public boolean then(WorkflowRunEvent outcome) {
            if (taken.compareAndSet(false, true)) {
                try {
                    boolean announced = recordNow(List.of(started, outcome), List.of());
                    written.complete(true);
                    return announced;
                } catch (RuntimeException e) {
                    written.completeExceptionally(e);
                    throw e;
                }
            }
            try {
                written.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                throw e;
            }
            return recordNow(outcome, List.of());
        }

        /** Records STEP_STARTED now if it is still held back, and waits for it; never throws. */
        public void settle() {
            recordAlone();
            written.exceptionally(failure -> false).join();
        }
    }

    private io.micrometer.core.instrument.Timer recordTimer() {
        return io.micrometer.core.instrument.Timer.builder("flowline.runner.journal").description(
                "recording one lifecycle record (projection and outbox, one transaction), from function code")
                .register(registry);
    }

    /**
     * What one record changes: a run to insert or an updated run, an attempt to write (and whether earlier attempts
     * of its execution end as failed), and whether the record is announced.
     */
    record Changes(RunEntity newRun, RunEntity changedRun, StepAttemptEntity attempt, boolean failEarlierAttempts,
            boolean announce) {
    }

    /**
     * The projection's rule per record, over the rows as they were; a run that ended never goes back to running. A
     * record with no effect that must not be announced is the end of a run that had already ended.
     */
    Changes apply(WorkflowRunEvent event, RunJournalStatements.Locked found) {
        RunEntity run = found.run();
        if (event.kind() == Kind.RUN_STARTED) {
            if (run != null) {
                return new Changes(null, null, null, false, true);
            }
            RunEntity started = new RunEntity();
            started.runId = event.runId();
            started.workflow = event.workflow();
            started.workflowVersion = event.workflowVersion();
            started.status = RunStatus.RUNNING;
            started.commandId = event.commandId();
            started.triggerId = event.source() == null ? null : event.source().triggerId();
            started.input = StoredJson.wrap(event.input());
            if (event.origin() != null) {
                started.originKind = event.origin().kind().name();
                started.originRunId = event.origin().runId();
                started.originStep = event.origin().fromStep();
            }
            started.startedAt = event.at();
            started.updatedAt = event.at();
            return new Changes(started, null, null, false, true);
        }
        if (run == null) {
            // Only RUN_STARTED creates a run; a record of a run this projection never saw start is kept in run_event
            // but shown nowhere.
            return new Changes(null, null, null, false, true);
        }
        run.updatedAt = event.at();
        if (event.kind().endsRun()) {
            if (run.status.ended()) {
                return new Changes(null, null, null, false, false);
            }
            run.status = switch (event.kind()) {
                case RUN_COMPLETED -> RunStatus.COMPLETED;
                case RUN_FAILED -> RunStatus.FAILED;
                default -> RunStatus.CANCELLED;
            };
            run.output = StoredJson.wrap(event.output());
            run.error = event.error() == null ? null : json.valueToTree(event.error());
            run.endedAt = event.at();
            run.waitingFor = null;
            return new Changes(null, run, null, false, true);
        }
        if (!run.status.ended()) {
            if (event.kind() == Kind.STEP_AWAITING_TASK) {
                run.status = RunStatus.WAITING;
                run.waitingFor = event.detail();
            } else if (event.kind() == Kind.STEP_RESUMED || event.kind() == Kind.STEP_STARTED) {
                run.status = RunStatus.RUNNING;
                run.waitingFor = null;
            }
        }
        StepAttemptEntity attempt = applyToAttempt(event, found.attempt());
        // An earlier attempt still running never reported back (the bridge died during it): it failed.
        boolean failEarlier = event.kind() == Kind.STEP_STARTED && event.attempt() != null && event.attempt() > 0;
        return new Changes(null, run, attempt, failEarlier, true);
    }

    private StepAttemptEntity applyToAttempt(WorkflowRunEvent event, StepAttemptEntity found) {
        StepAttemptEntity attempt = found;
        if (attempt == null) {
            attempt = new StepAttemptEntity();
            attempt.key = new StepAttemptEntity.Key(event.runId(), event.stepId(), event.execution(), event.attempt());
            attempt.startedAt = event.at();
            attempt.status = StepStatus.RUNNING;
        }
        if (event.input() != null) {
            attempt.input = StoredJson.wrap(event.input());
        }
        switch (event.kind()) {
            case STEP_STARTED -> attempt.status = StepStatus.RUNNING;
            case STEP_SUCCEEDED -> end(attempt, StepStatus.SUCCEEDED, event);
            case STEP_REUSED -> end(attempt, StepStatus.REUSED, event);
            case STEP_SKIPPED -> end(attempt, StepStatus.SKIPPED, event);
            case STEP_FAILED -> {
                end(attempt, StepStatus.FAILED, event);
                attempt.errorCode = event.error() == null ? null : event.error().code();
            }
            case STEP_AWAITING_TASK -> {
                attempt.status = StepStatus.AWAITING_TASK;
                attempt.taskKey = event.detail();
            }
            case STEP_RESUMED -> {
                attempt.resolution = event.detail();
                if (attempt.status == StepStatus.AWAITING_TASK) {
                    attempt.status = StepStatus.FAILED;
                }
            }
            default -> {
            }
        }
        return attempt;
    }

    private void end(StepAttemptEntity attempt, StepStatus status, WorkflowRunEvent event) {
        attempt.status = status;
        JsonNode output = event.output();
        if (output != null) {
            attempt.output = StoredJson.wrap(output);
        }
        if (event.error() != null) {
            attempt.error = json.valueToTree(event.error());
        }
        attempt.endedAt = event.at();
    }
}
