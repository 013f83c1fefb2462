package dev.flowline.task.domain;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import dev.flowline.servicekit.problem.ProblemException;
import dev.flowline.task.persistence.TaskEntity;

/**
 * Runs the escalation rules of open and claimed tasks whose next rule is due, on a schedule. Every replica runs it;
 * each rule runs once per task all the same: the change goes through the optimistic lock and checks the task's count
 * of rules run (a second replica's attempt answers 409 and is dropped).
 */
@ApplicationScoped
public class TaskEscalation {

    private static final Logger LOG = Logger.getLogger(TaskEscalation.class);
    static final int BATCH = 100;

    /** A task whose next rule is due, as the job reads it. */
    record Due(java.util.UUID id, String step, String errorCode, int typeVersion, int rule) {
    }

    @Inject
    TaskOperations operations;

    @Inject
    TaskTypes types;

    @Scheduled(every = "${flowline.tasks.escalation-interval:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> escalateDue() {
        return Panache.withSession(() -> TaskEntity.<TaskEntity>find(
                "status in ?1 and nextEscalationAt < ?2 order by nextEscalationAt", List.of(TaskStatus.OPEN,
                        TaskStatus.CLAIMED),
                Instant.now()).range(0, BATCH - 1).list()).map(due -> due.stream().map(
                        task -> new Due(task.id,
                                task.step, task.errorCode, task.typeVersion, task.escalationsDone))
                        .toList())
                .flatMap(this::escalate);
    }

    private Uni<Void> escalate(List<Due> due) {
        return Multi.createFrom().iterable(due).onItem().transformToUniAndConcatenate(task -> Panache.withSession(
                () -> types.of(task.step(), task.errorCode(), task.typeVersion())).flatMap(type -> {
                    List<TaskTypeOverride.Escalation> rules = type.map(t -> t.override().escalations()).orElse(List
                            .of());
                    if (task.rule() >= rules.size()) {
                        // The catalog cache lost the step: nothing to run; the task keeps its due time.
                        LOG.warnf("task %s: escalation rule %d of its type is unknown", task.id(), task.rule());
                        return Uni.createFrom().voidItem();
                    }
                    return operations.escalate(task.id(), task.rule(), rules.get(task.rule()), rules)
                            .replaceWithVoid();
                }).onFailure(ProblemException.class).recoverWithItem(e -> {
                    LOG.debugf("task %s not escalated: %s", task.id(), e.getMessage());
                    return null;
                })).collect().last().replaceWithVoid();
    }
}
