package dev.flowline.task.domain;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

import dev.flowline.contracts.TaskChanged;
import dev.flowline.contracts.Topics;
import dev.flowline.outbox.Outbox;
import dev.flowline.task.persistence.TaskAuditEntity;
import dev.flowline.task.persistence.TaskEntity;

/**
 * Writes what happened to a task, inside the caller's transaction: a line of the audit trail and the
 * {@link TaskChanged} record on the outbox. Call it after the task's new state is set, with the version it will
 * have once flushed.
 */
@ApplicationScoped
public class TaskHistory {

    /** The audit action of a task's creation (not a {@link TaskAction}: nobody can ask for it). */
    public static final String CREATE = "create";

    @Inject
    Outbox outbox;

    public Uni<Void> record(TaskEntity task, String action, TaskStatus from, TaskChanged.Kind kind, Actor actor,
            JsonNode detail, long version, Instant at) {
        TaskAuditEntity audit = new TaskAuditEntity();
        audit.taskId = task.id;
        audit.at = at;
        audit.actor = actor.name();
        audit.action = action;
        audit.fromStatus = from;
        audit.toStatus = task.status;
        audit.detail = detail;
        Uni<Void> audited = audit.persist().replaceWithVoid();
        if (kind == null) {
            return audited;
        }
        TaskChanged changed = new TaskChanged(TaskChanged.messageIdFor(task.id, version, kind), task.id, version, kind,
                task.correlationKey, task.runId, task.workflow, task.stepId, task.errorCode, task.title,
                task.assignee, task.priority, task.dueAt, actor.name(), detail, at);
        return audited.flatMap(ignored -> outbox.enqueue(Topics.TASK_EVENTS, task.id.toString(),
                TaskChanged.MESSAGE_TYPE, changed.messageId(), changed)).replaceWithVoid();
    }
}
