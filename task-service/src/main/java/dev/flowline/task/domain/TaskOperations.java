package dev.flowline.task.domain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.OptimisticLockException;

import org.hibernate.StaleStateException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;

import dev.flowline.contracts.TaskChanged;
import dev.flowline.contracts.TaskResolved;
import dev.flowline.contracts.Topics;
import dev.flowline.outbox.Outbox;
import dev.flowline.servicekit.json.JsonSchemaValidation;
import dev.flowline.servicekit.problem.Problem.FieldError;
import dev.flowline.servicekit.problem.ProblemException;
import dev.flowline.servicekit.problem.ProblemType;
import dev.flowline.task.persistence.TaskCommentEntity;
import dev.flowline.task.persistence.TaskEntity;

/**
 * What people do to tasks: each change is one transaction that checks, in this order, that the task exists (404),
 * the caller's version ({@code If-Match}, 409 when stale), the transition table (409), the permission (403) and the
 * submitted data (422); then writes the task, its audit line and its records on the outbox. Two concurrent changes
 * of one task: the optimistic lock lets one commit, the other answers 409.
 */
@ApplicationScoped
public class TaskOperations {

    /**
     * What a resolve submits.
     *
     * @param data what the person filled in (the view's form data), for the type's resolution step and its view
     */
    public record Resolve(TaskResolved.Resolution action, JsonNode input, JsonNode output, String reason,
            JsonNode data) {
    }

    @Inject
    Outbox outbox;

    @Inject
    TaskHistory history;

    @Inject
    TaskTypes types;

    @Inject
    ResolutionSteps resolutionSteps;

    @Inject
    ScreenValidation screens;

    @Inject
    ObjectMapper json;

    public Uni<TaskEntity> claim(UUID id, Long ifMatch, Actor actor) {
        return change(id, ifMatch, actor, TaskAction.CLAIM, null, task -> {
            task.assignee = actor.name();
            return Uni.createFrom().item(TaskChanged.Kind.CLAIMED);
        });
    }

    public Uni<TaskEntity> release(UUID id, Long ifMatch, Actor actor) {
        return change(id, ifMatch, actor, TaskAction.RELEASE, null, task -> {
            task.assignee = null;
            return Uni.createFrom().item(TaskChanged.Kind.RELEASED);
        });
    }

    public Uni<TaskEntity> assign(UUID id, Long ifMatch, Actor actor, String assignee) {
        if (assignee == null || assignee.isBlank()) {
            return Uni.createFrom().failure(ProblemException.invalid("/assignee", "must name the user to assign"));
        }
        return change(id, ifMatch, actor, TaskAction.ASSIGN, json.createObjectNode().put("assignee", assignee),
                task -> {
                    task.assignee = assignee;
                    return Uni.createFrom().item(TaskChanged.Kind.ASSIGNED);
                });
    }

    /**
     * The service's own change when a task's due date passed: the task expires and the run is told the type's expiry
     * outcome (abort by default, or skip with its output, or retry) by the same {@link TaskResolved} a person's
     * resolve sends, so the run stops waiting now even when the type's due-in is shorter than the runner's wait.
     */
    public Uni<TaskEntity> expire(UUID id) {
        return change(id, null, Actor.SERVICE, TaskAction.EXPIRE, null, task -> types.of(task.step, task.errorCode,
                task.typeVersion).flatMap(type -> {
                    TaskTypeOverride.ExpiryOutcome outcome = type.map(t -> t.override().onExpiry()).orElse(
                            TaskTypeOverride.ExpiryOutcome.ABORT);
                    String reason = outcome.reason() != null
                            ? outcome.reason()
                            : "the task was not resolved by " + task.dueAt;
                    Instant now = Instant.now();
                    ObjectNode resolution = json.createObjectNode().put("action", outcome.action().name().toLowerCase(
                            java.util.Locale.ROOT)).put("reason", reason);
                    resolution.set("output", outcome.output());
                    task.resolution = resolution;
                    task.resolvedBy = Actor.SERVICE.name();
                    task.resolvedAt = now;
                    return outbox.enqueue(Topics.TASK_EVENTS, task.id.toString(), TaskResolved.MESSAGE_TYPE,
                            resolvedId(task), new TaskResolved(resolvedId(task), task.id, task.version + 1,
                                    task.correlationKey, outcome.action(), null, outcome.output(), reason, Actor.SERVICE
                                            .name(),
                                    now))
                            .replaceWith(TaskChanged.Kind.EXPIRED);
                }));
    }

    /**
     * Runs escalation rule {@code rule} (counted from 0) of the task's type version: the service's change, once per
     * task and rule across replicas (a task whose count moved on answers 409). Raises the priority, hands the task to
     * another role (a reassign: the holder lets go) and asks for a notification, as the rule says.
     */
    public Uni<TaskEntity> escalate(UUID id, int rule, TaskTypeOverride.Escalation escalation,
            List<TaskTypeOverride.Escalation> rules) {
        TaskAction action = escalation.reassignTo() != null ? TaskAction.REASSIGN : TaskAction.ESCALATE;
        ObjectNode detail = json.createObjectNode().put("rule", rule).put("after", escalation.after().toString())
                .put("notify", escalation.notifyPeople());
        return change(id, null, Actor.SERVICE, action, detail, task -> {
            if (task.escalationsDone != rule) {
                return Uni.createFrom().failure(ProblemException.conflict("rule " + rule + " of task " + id
                        + " has run already"));
            }
            if (escalation.raisePriorityTo() != null && escalation.raisePriorityTo() > task.priority) {
                detail.put("priority", escalation.raisePriorityTo()).put("previousPriority", task.priority);
                task.priority = escalation.raisePriorityTo();
            }
            if (escalation.reassignTo() != null) {
                detail.put("reassignTo", escalation.reassignTo()).put("previousAssignee", task.assignee);
                detail.putPOJO("previousCandidates", task.candidateRoleList());
                task.candidateRoles = new String[]{escalation.reassignTo()};
                task.candidateUsers = new String[0];
                task.assignee = null;
            }
            task.escalationsDone = rule + 1;
            task.nextEscalationAt = rule + 1 < rules.size() ? task.createdAt.plus(rules.get(rule + 1).after()) : null;
            return Uni.createFrom().item(TaskChanged.Kind.ESCALATED);
        });
    }

    public Uni<TaskEntity> cancel(UUID id, Long ifMatch, Actor actor, String reason) {
        return change(id, ifMatch, actor, TaskAction.CANCEL, json.createObjectNode().put("reason", reason),
                task -> Uni.createFrom().item(TaskChanged.Kind.CANCELLED));
    }

    /**
     * Resolves the task and publishes the {@link TaskResolved} that resumes the run, exactly once: the transition
     * table refuses a second resolve, and the message id is derived from the task.
     */
    public Uni<TaskEntity> resolve(UUID id, Long ifMatch, Actor actor, Resolve resolve) {
        if (resolve == null || resolve.action() == null) {
            return Uni.createFrom().failure(ProblemException.invalid("/action", "must be retry, skip or abort"));
        }
        if (resolve.data() != null && !resolve.data().isObject()) {
            return Uni.createFrom().failure(ProblemException.invalid("/data", "an object: what was filled in"));
        }
        ObjectNode detail = json.createObjectNode().put("action", resolve.action().name().toLowerCase(
                java.util.Locale.ROOT));
        detail.set("input", resolve.input());
        detail.set("output", resolve.output());
        detail.put("reason", resolve.reason());
        detail.set("data", resolve.data());
        // The checks of the change first (a refused resolve asks nobody anything), then the screen's validation.
        return io.quarkus.hibernate.reactive.panache.Panache.withSession(() -> load(id).invoke(task -> {
            ProblemException refused = refusal(task, ifMatch, actor, TaskAction.RESOLVE);
            if (refused != null) {
                throw refused;
            }
        })).flatMap(task -> screens.problems(id, resolve.data(), actor)).flatMap(problems -> {
            if (!problems.isEmpty()) {
                return Uni.createFrom().failure(ProblemException.invalid(problems));
            }
            return resolutionStep(id, ifMatch, actor, resolve);
        }).flatMap(called -> {
            if (called.isPresent()) {
                detail.putObject("resolutionStep").put("step", called.get().step()).set("output", called.get()
                        .output());
            }
            return change(id, ifMatch, actor, TaskAction.RESOLVE, detail, task -> types.of(task.step, task.errorCode,
                    task.typeVersion).flatMap(type -> {
                        List<FieldError> errors = resolutionErrors(resolve, type);
                        if (!errors.isEmpty()) {
                            return Uni.createFrom().failure(ProblemException.invalid(errors));
                        }
                        Instant now = Instant.now();
                        task.resolution = detail;
                        task.resolvedBy = actor.name();
                        task.resolvedAt = now;
                        if (task.assignee == null) {
                            task.assignee = actor.name();
                        }
                        TaskResolved resolved = new TaskResolved(resolvedId(task), task.id, task.version + 1,
                                task.correlationKey, resolve.action(), resolve.input(), resolve.output(), resolve
                                        .reason(),
                                actor.name(), now);
                        return outbox.enqueue(Topics.TASK_EVENTS, task.id.toString(), TaskResolved.MESSAGE_TYPE,
                                resolved.messageId(), resolved).replaceWith(TaskChanged.Kind.RESOLVED);
                    }));
        });
    }

    /**
     * Calls the type's resolution step, if it has one and the resolve goes on with the run (retry, skip), after the
     * checks the change itself makes (so a refused resolve calls nothing); before the change's transaction, so a slow
     * step holds no lock. The change checks everything again: a task that changed meanwhile answers 409 as usual.
     */
    private Uni<Optional<ResolutionSteps.Called>> resolutionStep(UUID id, Long ifMatch, Actor actor,
            Resolve resolve) {
        if (resolve.action() == TaskResolved.Resolution.ABORT) {
            return Uni.createFrom().item(Optional.empty());
        }
        return io.quarkus.hibernate.reactive.panache.Panache.withSession(() -> load(id).flatMap(task -> types.of(
                task.step, task.errorCode, task.typeVersion).flatMap(type -> {
                    ResolutionStep step = type.map(t -> t.override().resolutionStep()).orElse(null);
                    if (step == null) {
                        return Uni.createFrom().item(Optional.<ResolutionSteps.Prepared>empty());
                    }
                    ProblemException refused = refusal(task, ifMatch, actor, TaskAction.RESOLVE);
                    if (refused != null) {
                        return Uni.createFrom().failure(refused);
                    }
                    List<FieldError> errors = resolutionErrors(resolve, type);
                    if (!errors.isEmpty()) {
                        return Uni.createFrom().failure(ProblemException.invalid(errors));
                    }
                    return resolutionSteps.prepare(step, task, resolve.data()).map(Optional::of);
                }))).flatMap(prepared -> prepared.isEmpty()
                        ? Uni.createFrom().item(Optional.<ResolutionSteps.Called>empty())
                        : resolutionSteps.invoke(prepared.get()).map(Optional::of));
    }

    public Uni<TaskCommentEntity> comment(UUID id, Actor actor, String body) {
        if (body == null || body.isBlank()) {
            return Uni.createFrom().failure(ProblemException.invalid("/body", "must not be empty"));
        }
        if (body.length() > 10_000) {
            return Uni.createFrom().failure(ProblemException.invalid("/body", "at most 10000 characters"));
        }
        return outbox.transaction(() -> load(id).flatMap(task -> {
            TaskTypes.Candidates candidates = candidates(task);
            if (TaskTransitions.next(task.status, TaskAction.COMMENT).isEmpty()) {
                return Uni.createFrom().failure(ProblemException.conflict("the task is " + task.status.name()
                        .toLowerCase(java.util.Locale.ROOT) + "; it takes no more comments"));
            }
            String refusal = TaskPermissions.refusal(TaskAction.COMMENT, actor, task.assignee, candidates);
            if (refusal != null) {
                return Uni.createFrom().failure(new ProblemException(ProblemType.FORBIDDEN, refusal));
            }
            TaskCommentEntity comment = new TaskCommentEntity();
            comment.id = UUID.randomUUID();
            comment.taskId = task.id;
            comment.at = Instant.now();
            comment.author = actor.name();
            comment.body = body;
            return comment.<TaskCommentEntity>persist().flatMap(saved -> history.record(task, TaskAction.COMMENT
                    .word(), task.status, null, actor, json.createObjectNode().put("comment", saved.id.toString()),
                    task.version, saved.at).replaceWith(saved));
        }));
    }

    /** The checks every resolution gets, each failure with its pointer. */
    List<FieldError> resolutionErrors(Resolve resolve, Optional<TaskTypes.TaskType> type) {
        List<FieldError> errors = new ArrayList<>();
        if (type.isPresent() && !type.get().allowed().contains(resolve.action())) {
            errors.add(new FieldError("/action", "this task type does not allow " + resolve.action().name()
                    .toLowerCase(java.util.Locale.ROOT)));
            return errors;
        }
        switch (resolve.action()) {
            case RETRY -> {
                if (resolve.input() != null && type.isPresent() && type.get().inputSchema() != null) {
                    errors.addAll(JsonSchemaValidation.validate(JsonSchemaValidation.compile(type.get().inputSchema(),
                            JsonSchemaValidation.options("urn:flowline:task:input")), resolve.input(), "/input"));
                }
            }
            case SKIP -> {
                if (resolve.output() == null) {
                    errors.add(new FieldError("/output", "skip needs the output the run goes on with"));
                } else if (type.isPresent() && type.get().outputSchema() != null) {
                    errors.addAll(JsonSchemaValidation.validate(JsonSchemaValidation.compile(type.get()
                            .outputSchema(), JsonSchemaValidation.options("urn:flowline:task:output")), resolve
                                    .output(),
                            "/output"));
                }
            }
            case ABORT -> {
                if (resolve.reason() == null || resolve.reason().isBlank()) {
                    errors.add(new FieldError("/reason", "abort needs a reason: the run fails with it"));
                }
            }
        }
        return errors;
    }

    private interface Mutation {
        /** Changes the task (the transition is allowed); answers the record kind to publish. */
        Uni<TaskChanged.Kind> apply(TaskEntity task);
    }

    private Uni<TaskEntity> change(UUID id, Long ifMatch, Actor actor, TaskAction action, JsonNode detail,
            Mutation mutation) {
        return outbox.transaction(() -> load(id).flatMap(task -> {
            ProblemException refused = refusal(task, ifMatch, actor, action);
            if (refused != null) {
                return Uni.createFrom().failure(refused);
            }
            Optional<TaskStatus> next = TaskTransitions.next(task.status, action);
            TaskStatus from = task.status;
            return mutation.apply(task).flatMap(kind -> {
                Instant now = Instant.now();
                task.status = next.get();
                task.updatedAt = now;
                // A reassign is what an escalation rule does; its audit line says escalate, like the other rules'.
                String word = action == TaskAction.REASSIGN ? TaskAction.ESCALATE.word() : action.word();
                return history.record(task, word, from, kind, actor, detail, task.version + 1, now);
            }).flatMap(ignored -> io.quarkus.hibernate.reactive.panache.Panache.flush()).replaceWith(task);
        })).onFailure(TaskOperations::concurrentChange).transform(e -> ProblemException.conflict(
                "the task changed while this request was handled; reload it and try again"));
    }

    /** Why {@code actor} may not take {@code action} on {@code task} now (stale version, table, permission), or null. */
    private static ProblemException refusal(TaskEntity task, Long ifMatch, Actor actor, TaskAction action) {
        if (ifMatch != null && ifMatch != task.version) {
            return stale(task);
        }
        if (TaskTransitions.next(task.status, action).isEmpty()) {
            return ProblemException.conflict("the task is " + task.status.name().toLowerCase(java.util.Locale.ROOT)
                    + "; it cannot be " + past(action) + " now");
        }
        String refusal = TaskPermissions.refusal(action, actor, task.assignee, candidates(task));
        return refusal == null ? null : new ProblemException(ProblemType.FORBIDDEN, refusal);
    }

    /**
     * Another change of the same task committed first: its version moved (optimistic lock), or it already enqueued
     * the record whose id this change derives too (the outbox's unique message id; inserts flush before updates).
     */
    static boolean concurrentChange(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof OptimisticLockException || cause instanceof StaleStateException
                    || cause instanceof org.hibernate.exception.ConstraintViolationException) {
                return true;
            }
        }
        return false;
    }

    private static String past(TaskAction action) {
        return switch (action) {
            case CLAIM -> "claimed";
            case RELEASE -> "released";
            case ASSIGN -> "assigned";
            case RESOLVE -> "resolved";
            case CANCEL -> "cancelled";
            case EXPIRE -> "expired";
            case COMMENT -> "commented";
            case ESCALATE, REASSIGN -> "escalated";
        };
    }

    /** One per task: a resolve and an expiry of the same task cannot both reach the run (the outbox's unique id). */
    private static UUID resolvedId(TaskEntity task) {
        return UUID.nameUUIDFromBytes(("task-resolved:" + task.id).getBytes(StandardCharsets.UTF_8));
    }

    private static ProblemException stale(TaskEntity task) {
        return ProblemException.conflict("the task is at version " + task.version + ", not the one in If-Match; "
                + "reload it and try again");
    }

    private static Uni<TaskEntity> load(UUID id) {
        return TaskEntity.<TaskEntity>findById(id).onItem().ifNull().failWith(() -> ProblemException.notFound(
                "no task " + id));
    }

    static TaskTypes.Candidates candidates(TaskEntity task) {
        return new TaskTypes.Candidates(task.candidateRoleList(), task.candidateUserList());
    }
}
