package dev.flowline.task.domain;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;

import dev.flowline.contracts.StepAwaitingTask;
import dev.flowline.contracts.TaskChanged;
import dev.flowline.outbox.Outbox;
import dev.flowline.servicekit.reactive.InOrder;
import dev.flowline.task.persistence.TaskEntity;

/**
 * Opens tasks from the runner's {@link StepAwaitingTask} records, exactly one per correlation key whatever the
 * redeliveries (the task id is derived from the key, and the key is unique), and cancels a run's open tasks when the
 * run ends without them.
 */
@ApplicationScoped
public class TaskIntake {

    private static final Logger LOG = Logger.getLogger(TaskIntake.class);
    /** When the runner sent no due date (it always does): the runner's default wait. */
    static final Duration DEFAULT_DUE_IN = Duration.ofDays(7);
    static final int DEFAULT_PRIORITY = 50;

    @Inject
    TaskTypes types;

    @Inject
    TaskHistory history;

    @Inject
    Outbox outbox;

    @Inject
    ObjectMapper json;

    /** The step is not in this service's catalog cache yet: worth another delivery (the consumer retries). */
    public static final class StepNotCachedYet extends RuntimeException {
        StepNotCachedYet(String step) {
            super("step " + step + " is not in the catalog cache yet");
        }
    }

    /** How long an unknown step waits for the catalog cache before its task opens with the default candidates. */
    @ConfigProperty(name = "flowline.tasks.unknown-step-grace", defaultValue = "2m")
    Duration unknownStepGrace;

    public static UUID taskIdFor(String correlationKey) {
        return UUID.nameUUIDFromBytes(("task:" + correlationKey).getBytes(StandardCharsets.UTF_8));
    }

    /** Opens the task; answers false when it existed already (a redelivery). */
    public Uni<Boolean> open(StepAwaitingTask awaiting) {
        return outbox.transaction(() -> types.of(awaiting.step(), awaiting.errorCode()).invoke(type -> {
            // The runner pinned the step from its own cache; this service's copy may lag behind for a moment.
            Instant sent = awaiting.at() == null ? Instant.now() : awaiting.at();
            if (type.isEmpty() && Instant.now().isBefore(sent.plus(unknownStepGrace))) {
                throw new StepNotCachedYet(awaiting.step());
            }
        }).flatMap(type -> TaskEntity
                .<TaskEntity>find("correlationKey", awaiting.correlationKey()).firstResult().flatMap(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().item(false);
                    }
                    Instant now = Instant.now();
                    TaskEntity task = new TaskEntity();
                    task.id = taskIdFor(awaiting.correlationKey());
                    task.correlationKey = awaiting.correlationKey();
                    task.runId = awaiting.runId();
                    task.workflow = awaiting.workflow();
                    task.workflowVersion = awaiting.workflowVersion();
                    task.stepId = awaiting.stepId();
                    task.step = awaiting.step();
                    task.execution = awaiting.execution();
                    task.attempt = awaiting.attempt();
                    task.errorCode = awaiting.errorCode();
                    task.errorMessage = awaiting.errorMessage();
                    task.errorData = awaiting.errorData();
                    task.stepInput = awaiting.input();
                    String stepName = awaiting.step() == null
                            ? awaiting.stepId()
                            : awaiting.step().split("@")[0];
                    task.taskType = awaiting.taskType() != null
                            ? awaiting.taskType()
                            : TaskTypes.id(stepName, awaiting.errorCode());
                    task.title = type.map(TaskTypes.TaskType::title).filter(t -> t != null)
                            .map(t -> TitleTemplate.render(t, awaiting.errorData()))
                            .orElse(awaiting.errorMessage() != null && !awaiting.errorMessage().isBlank()
                                    ? awaiting.errorMessage()
                                    : type.map(TaskTypes.TaskType::message).orElse(awaiting.errorCode()));
                    task.status = TaskStatus.OPEN;
                    task.priority = type.map(TaskTypes.TaskType::priority).filter(p -> p != null).orElse(
                            DEFAULT_PRIORITY);
                    task.typeVersion = type.map(TaskTypes.TaskType::version).orElse(0);
                    Instant runnerDue = awaiting.dueAt() != null ? awaiting.dueAt() : now.plus(DEFAULT_DUE_IN);
                    // An override's due-in, unless the run stops waiting sooner.
                    task.dueAt = type.map(TaskTypes.TaskType::dueIn).filter(d -> d != null).map(now::plus).filter(
                            due -> due.isBefore(runnerDue)).orElse(runnerDue);
                    task.createdAt = now;
                    task.updatedAt = now;
                    task.description = type.map(TaskTypes.TaskType::override).map(TaskTypeOverride::description)
                            .map(d -> TitleTemplate.render(d, awaiting.errorData())).orElse(null);
                    TaskTypes.Candidates candidates = type.map(t -> t.candidatesFor(awaiting.errorData())).orElse(
                            new TaskTypes.Candidates(TaskTypes.DEFAULT_CANDIDATES, List.of()));
                    task.candidateRoles = candidates.roles().toArray(String[]::new);
                    task.candidateUsers = candidates.users().toArray(String[]::new);
                    List<TaskTypeOverride.Escalation> escalations = type.map(t -> t.override().escalations()).orElse(
                            List.of());
                    task.nextEscalationAt = escalations.isEmpty() ? null : now.plus(escalations.get(0).after());
                    if (type.isEmpty()) {
                        LOG.warnf("task %s: step %s is still not in the catalog cache after %s; candidates %s", task.id,
                                awaiting.step(), unknownStepGrace, candidates.roles());
                    }
                    Uni<Void> saved = task.persist().replaceWithVoid();
                    return saved.flatMap(ignored -> history.record(task, TaskHistory.CREATE, null,
                            TaskChanged.Kind.CREATED, Actor.SERVICE, json.createObjectNode().putPOJO(
                                    "candidates", candidates.roles()).putPOJO("candidateUsers", candidates.users()),
                            0, now)).replaceWith(true);
                })));
    }

    /** Cancels the run's open and claimed tasks (the run ended, failed or was cancelled elsewhere). */
    public Uni<Integer> cancelForRun(String runId, String why) {
        return outbox.transaction(() -> TaskEntity.<TaskEntity>list("runId = ?1 and status in ?2", runId, List.of(
                TaskStatus.OPEN, TaskStatus.CLAIMED)).flatMap(tasks -> {
                    Instant now = Instant.now();
                    // InOrder: a history record may complete without a round trip; a flatMap chain would nest.
                    return InOrder.each(tasks, task -> {
                        TaskStatus from = task.status;
                        task.status = TaskStatus.CANCELLED;
                        task.updatedAt = now;
                        return history.record(task, TaskAction.CANCEL.word(), from, TaskChanged.Kind.CANCELLED,
                                Actor.SERVICE, json.createObjectNode().put("reason", why), task.version + 1, now);
                    }).replaceWith(tasks.size());
                }));
    }
}
