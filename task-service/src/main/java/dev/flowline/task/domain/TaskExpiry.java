package dev.flowline.task.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

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
 * Marks tasks whose due date passed as expired, on a schedule. Every replica runs it; each task expires once all
 * the same, because the change goes through the optimistic lock and the transition table (a second replica's
 * attempt answers 409 and is dropped).
 */
@ApplicationScoped
public class TaskExpiry {

    private static final Logger LOG = Logger.getLogger(TaskExpiry.class);
    static final int BATCH = 100;

    @Inject
    TaskOperations operations;

    @Scheduled(every = "${flowline.tasks.expiry-interval:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> expireDue() {
        return Panache.withSession(() -> TaskEntity.<TaskEntity>find(
                "status in ?1 and dueAt < ?2 order by dueAt", List.of(TaskStatus.OPEN, TaskStatus.CLAIMED), Instant
                        .now())
                .range(0, BATCH - 1).list()).map(due -> due.stream().map(task -> task.id).toList()).flatMap(
                        this::expire);
    }

    private Uni<Void> expire(List<UUID> ids) {
        return Multi.createFrom().iterable(ids).onItem().transformToUniAndConcatenate(id -> operations.expire(id)
                .replaceWithVoid().onFailure(ProblemException.class).recoverWithItem(e -> {
                    LOG.debugf("task %s not expired: %s", id, e.getMessage());
                    return null;
                })).collect().last().replaceWithVoid();
    }
}
