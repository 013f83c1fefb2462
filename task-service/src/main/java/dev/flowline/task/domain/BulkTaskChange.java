package dev.flowline.task.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import dev.flowline.servicekit.problem.ProblemException;

/**
 * One action on many tasks (the 40 unmatched transactions of one payout): each task is changed in a transaction of
 * its own with every check a single change has, so one task's refusal never half-applies another; the answer says,
 * per task, whether it changed and why not.
 */
@ApplicationScoped
public class BulkTaskChange {

    public static final int MAX_TASKS = 500;

    public enum Action {
        CLAIM, ASSIGN, RESOLVE
    }

    /** One task's outcome: its new version, or the problem's status and detail. */
    @RegisterForReflection
    public record Outcome(UUID taskId, boolean changed, Long version, Integer status, String detail) {
    }

    @Inject
    TaskOperations operations;

    public Uni<List<Outcome>> apply(Action action, List<UUID> taskIds, Actor actor, String assignee,
            TaskOperations.Resolve resolve) {
        if (taskIds == null || taskIds.isEmpty()) {
            return Uni.createFrom().failure(ProblemException.invalid("/taskIds", "name at least one task"));
        }
        if (taskIds.size() > MAX_TASKS) {
            return Uni.createFrom().failure(ProblemException.invalid("/taskIds", "at most " + MAX_TASKS
                    + " tasks at once"));
        }
        if (taskIds.stream().distinct().count() != taskIds.size()) {
            return Uni.createFrom().failure(ProblemException.invalid("/taskIds", "names a task more than once"));
        }
        // One after another: the tasks usually share a run, and the outbox keeps their records in this order.
        return Multi.createFrom().iterable(taskIds).onItem().transformToUniAndConcatenate(id -> one(action, id, actor,
                assignee, resolve)).collect().in(ArrayList::new, List::add);
    }

    private Uni<Outcome> one(Action action, UUID id, Actor actor, String assignee, TaskOperations.Resolve resolve) {
        Uni<dev.flowline.task.persistence.TaskEntity> change = switch (action) {
            case CLAIM -> operations.claim(id, null, actor);
            case ASSIGN -> operations.assign(id, null, actor, assignee);
            case RESOLVE -> operations.resolve(id, null, actor, resolve);
        };
        return change.map(task -> new Outcome(id, true, task.version, null, null)).onFailure(ProblemException.class)
                .recoverWithItem(e -> {
                    ProblemException problem = (ProblemException) e;
                    return new Outcome(id, false, null, problem.type().status(), problem.getMessage());
                });
    }
}
