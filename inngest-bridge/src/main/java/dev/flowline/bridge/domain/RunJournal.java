package dev.flowline.bridge.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

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

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    /**
     * Records {@code event} (and {@code attached}) in one transaction; answers false when it had been recorded already,
     * or when it changed nothing that is announced.
     */
    public Uni<Boolean> record(WorkflowRunEvent event, List<Attached> attached) {
        RunEventEntity entry = new RunEventEntity();
        entry.messageId = event.messageId();
        entry.runId = event.runId();
        entry.kind = event.kind().name();
        entry.at = event.at();
        List<OutboxRow> messages = new ArrayList<>();
        try {
            entry.record = json.valueToTree(event);
            messages.add(outbox.row(Topics.WORKFLOW_LIFECYCLE, event.runId(), WorkflowRunEvent.MESSAGE_TYPE, event
                    .messageId(), event, null));
            for (Attached message : attached) {
                messages.add(outbox.row(message.topic(), message.key(), message.messageType(), message.messageId(),
                        message.payload(), null));
            }
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(e);
        }
        StepAttemptEntity.Key attemptKey = event.kind().endsRun() || event.kind() == Kind.RUN_STARTED
                ? null
                : new StepAttemptEntity.Key(event.runId(), event.stepId(), event.execution(), event.attempt());
        return pool.withTransaction(connection -> statements.claim(connection, entry, attemptKey).flatMap(found -> {
            if (!found.firstTime()) {
                return Uni.createFrom().item(false);
            }
            Changes changes = apply(event, found);
            List<Uni<Void>> writes = new ArrayList<>();
            if (changes.newRun() != null) {
                writes.add(statements.insertRun(connection, changes.newRun()));
            }
            if (changes.changedRun() != null) {
                writes.add(statements.updateRun(connection, changes.changedRun()));
            }
            if (changes.attempt() != null) {
                writes.add(statements.upsertAttempt(connection, changes.attempt()));
                if (changes.failEarlierAttempts()) {
                    writes.add(statements.failEarlierAttempts(connection, attemptKey, event.at()));
                }
            }
            if (changes.announce()) {
                writes.add(outbox.insertAll(connection, messages));
            }
            // Sent at once: the connection pipelines them.
            return writes.isEmpty()
                    ? Uni.createFrom().item(changes.announce())
                    : Uni.join().all(writes).andFailFast().replaceWith(changes.announce());
        })).invoke(announced -> {
            if (announced) {
                outbox.committed();
            }
        });
    }

    /** {@link #record} from function code (a worker thread), waiting for the commit. */
    public boolean recordNow(WorkflowRunEvent event, List<Attached> attached) {
        long started = System.nanoTime();
        try {
            return Blocking.await(() -> record(event, attached));
        } finally {
            recordTimer().record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Starts {@link #recordNow} on a worker thread, so that function code can overlap it with the step call; the
     * caller must {@link Pending#await} it before recording anything that follows, which keeps the records in order.
     */
    public Pending recordSoon(WorkflowRunEvent event) {
        return new Pending(CompletableFuture.supplyAsync(() -> recordNow(event, List.of()), Infrastructure
                .getDefaultWorkerPool()));
    }

    /** A record being made; {@link #await} answers as {@link #recordNow} would, or throws what it threw. */
    public record Pending(CompletableFuture<Boolean> result) {
        public boolean await() {
            try {
                return result.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                throw e;
            }
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
