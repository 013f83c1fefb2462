package dev.flowline.bridge.domain;

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

import dev.flowline.bridge.persistence.RunEntity;
import dev.flowline.bridge.persistence.RunEventEntity;
import dev.flowline.bridge.persistence.StepAttemptEntity;
import dev.flowline.bridge.persistence.StoredJson;
import dev.flowline.contracts.Topics;
import dev.flowline.contracts.WorkflowRunEvent;
import dev.flowline.contracts.WorkflowRunEvent.Kind;
import dev.flowline.outbox.Outbox;

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
    io.micrometer.core.instrument.MeterRegistry registry;

    /** Records {@code event} (and {@code attached}); answers false when it had been recorded already. */
    public Uni<Boolean> record(WorkflowRunEvent event, List<Attached> attached) {
        return outbox.transaction(() -> RunEventEntity.<RunEventEntity>findById(event.messageId()).flatMap(seen -> {
            if (seen != null) {
                return Uni.createFrom().item(false);
            }
            RunEventEntity entry = new RunEventEntity();
            entry.messageId = event.messageId();
            entry.runId = event.runId();
            entry.kind = event.kind().name();
            entry.at = event.at();
            entry.record = json.valueToTree(event);
            return entry.persist().flatMap(ignored -> apply(event)).flatMap(effective -> {
                if (!effective) {
                    // An end of a run that had already ended (a cancel racing the completion): not announced.
                    return Uni.createFrom().item(false);
                }
                Uni<Void> chain = outbox
                        .enqueue(Topics.WORKFLOW_LIFECYCLE, event.runId(), WorkflowRunEvent.MESSAGE_TYPE,
                                event.messageId(), event)
                        .replaceWithVoid();
                for (Attached message : attached) {
                    chain = chain.flatMap(ignored -> outbox.enqueue(message.topic(), message.key(), message
                            .messageType(), message.messageId(), message.payload()).replaceWithVoid());
                }
                return chain.replaceWith(true);
            });
        }));
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
     * The projection's rule per record; a run that ended never goes back to running. Answers false for a record with
     * no effect that must not be announced: the end of a run that had already ended.
     */
    private Uni<Boolean> apply(WorkflowRunEvent event) {
        if (event.kind() == Kind.RUN_STARTED) {
            return RunEntity.<RunEntity>findById(event.runId()).flatMap(existing -> {
                if (existing != null) {
                    return Uni.createFrom().item(true);
                }
                RunEntity run = new RunEntity();
                run.runId = event.runId();
                run.workflow = event.workflow();
                run.workflowVersion = event.workflowVersion();
                run.status = RunStatus.RUNNING;
                run.commandId = event.commandId();
                run.triggerId = event.source() == null ? null : event.source().triggerId();
                run.input = StoredJson.wrap(event.input());
                if (event.origin() != null) {
                    run.originKind = event.origin().kind().name();
                    run.originRunId = event.origin().runId();
                    run.originStep = event.origin().fromStep();
                }
                run.startedAt = event.at();
                run.updatedAt = event.at();
                return run.persist().replaceWith(true);
            });
        }
        return RunEntity.<RunEntity>findById(event.runId()).flatMap(run -> {
            if (run == null) {
                // Only RUN_STARTED creates a run; a record of a run this projection never saw start is kept in
                // run_event but shown nowhere.
                return Uni.createFrom().item(true);
            }
            run.updatedAt = event.at();
            if (event.kind().endsRun()) {
                if (run.status.ended()) {
                    return Uni.createFrom().item(false);
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
                return Uni.createFrom().item(true);
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
            return applyToAttempt(event).replaceWith(true);
        });
    }

    private Uni<Void> applyToAttempt(WorkflowRunEvent event) {
        StepAttemptEntity.Key key = new StepAttemptEntity.Key(event.runId(), event.stepId(), event.execution(), event
                .attempt());
        return StepAttemptEntity.<StepAttemptEntity>findById(key).flatMap(found -> {
            StepAttemptEntity attempt = found;
            if (attempt == null) {
                attempt = new StepAttemptEntity();
                attempt.key = key;
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
            Uni<Void> saved = found == null ? attempt.persist().replaceWithVoid() : Uni.createFrom().voidItem();
            if (event.kind() == Kind.STEP_STARTED && event.attempt() != null && event.attempt() > 0) {
                // An earlier attempt still running never reported back (the bridge died during it): it failed.
                saved = saved.flatMap(ignored -> StepAttemptEntity.update(
                        "status = ?1, endedAt = ?2 where key.runId = ?3"
                                + " and key.stepId = ?4 and key.execution = ?5 and key.attempt < ?6 and status = ?7",
                        StepStatus.FAILED, event.at(), event.runId(), event.stepId(), event.execution(), event
                                .attempt(),
                        StepStatus.RUNNING).replaceWithVoid());
            }
            return saved;
        });
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
