package dev.flowline.trigger.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import dev.flowline.catalogcache.CatalogCache;
import dev.flowline.contracts.Topics;
import dev.flowline.contracts.WorkflowCommand;
import dev.flowline.contracts.WorkflowRunUpdate;
import dev.flowline.outbox.Outbox;
import dev.flowline.outbox.OutboxRow;
import dev.flowline.servicekit.problem.Problem.FieldError;
import dev.flowline.servicekit.problem.ProblemException;
import dev.flowline.servicekit.problem.ProblemType;
import dev.flowline.trigger.persistence.CommandEntity;

/**
 * Records commands and sends them to {@code workflow-commands} through the outbox, in the caller's transaction. A
 * command id that exists already is not issued again: the earlier command is the answer.
 */
@ApplicationScoped
public class CommandService {

    private static final Logger LOG = Logger.getLogger(CommandService.class);

    @Inject
    Outbox outbox;

    @Inject
    CatalogCache catalog;

    @Inject
    EventSchemas schemas;

    /**
     * Starts a workflow on request: the parameters are validated against the input schema of the workflow version
     * (exact, or the newest published), and the command is recorded and sent in one transaction. A request repeated
     * with the same idempotency key by the same caller answers the command it made the first time, also when the
     * repeats race (they share one command id: the losers' inserts are refused and they read the winner's); a key
     * reused for a different request is refused (422).
     */
    public Uni<CommandEntity> send(String workflow, String version, JsonNode parameters, String requestedBy,
            String idempotencyKey) {
        UUID commandId = idempotencyKey == null
                ? UUID.randomUUID()
                : WorkflowCommand.apiCommandId(requestedBy, idempotencyKey);
        Uni<CommandEntity> sent = outbox.transaction(() -> CommandEntity.<CommandEntity>findById(commandId).flatMap(
                previous -> {
                    if (previous != null) {
                        return Uni.createFrom().item(sameRequest(previous, workflow, version, parameters));
                    }
                    return catalog.workflows().resolve(workflow, version).flatMap(found -> {
                        if (found.isEmpty()) {
                            throw ProblemException.notFound("workflow " + workflow + (version == null
                                    ? ""
                                    : " version " + version) + " is not published");
                        }
                        List<FieldError> errors = schemas.validateAgainst(found.get().definition().input(),
                                parameters, "");
                        if (!errors.isEmpty()) {
                            throw ProblemException.invalid(errors);
                        }
                        return insert(fromApi(commandId, workflow, found.get().version(), parameters, requestedBy),
                                idempotencyKey);
                    });
                }));
        if (idempotencyKey == null) {
            return sent;
        }
        return sent.onFailure(CommandService::insertedElsewhere).recoverWithUni(() -> Panache.withSession(
                () -> CommandEntity.<CommandEntity>findById(commandId)).map(winner -> {
                    if (winner == null) {
                        throw new IllegalStateException("command " + commandId + " was refused as a duplicate but "
                                + "is not there");
                    }
                    return sameRequest(winner, workflow, version, parameters);
                }));
    }

    /** A retry's answer: the earlier command, if the retry asks the same (a version left open matches any). */
    static CommandEntity sameRequest(CommandEntity earlier, String workflow, String version, JsonNode parameters) {
        boolean same = earlier.workflow.equals(workflow) && (version == null || version.equals(
                earlier.workflowVersion)) && earlier.parameters.equals(parameters);
        if (!same) {
            String detail = "this Idempotency-Key was used by this caller for another request (command " + earlier.id
                    + ": workflow " + earlier.workflow + " version " + earlier.workflowVersion + "); use a new key";
            throw new ProblemException(ProblemType.VALIDATION_FAILED, detail, List.of(new FieldError(
                    "#Idempotency-Key", detail)));
        }
        return earlier;
    }

    /** Another request with the same command id committed first (primary key or caller-and-key refused). */
    static boolean insertedElsewhere(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.hibernate.exception.ConstraintViolationException) {
                return true;
            }
        }
        return false;
    }

    /** Answers the stored command (the existing one when its id was issued before). */
    public Uni<CommandEntity> issue(WorkflowCommand command, String idempotencyKey) {
        return CommandEntity.<CommandEntity>findById(command.commandId()).flatMap(existing -> {
            if (existing != null) {
                return Uni.createFrom().item(existing);
            }
            return insert(command, idempotencyKey);
        });
    }

    /** Records and sends a command whose id is known to be new (a clash fails on the primary key). */
    public Uni<CommandEntity> insert(WorkflowCommand command, String idempotencyKey) {
        CommandEntity entity = new CommandEntity();
        entity.id = command.commandId();
        entity.workflow = command.workflow();
        entity.workflowVersion = command.workflowVersion();
        entity.parameters = command.parameters();
        entity.sourceType = command.source().type().name();
        entity.requestedBy = command.source().requestedBy();
        entity.triggerId = command.source().triggerId();
        entity.eventId = command.source().eventId();
        entity.scheduleId = command.source().scheduleId();
        entity.slot = command.source().slot();
        entity.idempotencyKey = idempotencyKey;
        entity.createdAt = command.createdAt();
        return entity.<CommandEntity>persist().call(saved -> outbox.enqueue(outboxRow(command)));
    }

    /** A command's outbox message: enqueued by {@link #insert}, written in batches by {@link Outbox#insertAll}. */
    OutboxRow outboxRow(WorkflowCommand command) {
        return outbox.row(Topics.WORKFLOW_COMMANDS, command.commandId().toString(), WorkflowCommand.MESSAGE_TYPE,
                command.commandId(), command, null);
    }

    /** A new command from the API. */
    public static WorkflowCommand fromApi(UUID commandId, String workflow, String version, JsonNode parameters,
            String requestedBy) {
        return new WorkflowCommand(commandId, workflow, version, parameters,
                new WorkflowCommand.Source(WorkflowCommand.SourceType.API, requestedBy, null, null, null, null),
                Instant.now());
    }

    /**
     * Applies a run update from the bridge. Updates can arrive twice or late: a redelivery of the last applied one
     * (same message id) and one older than the recorded state are ignored, and a terminal status is never replaced by
     * a running one.
     */
    public Uni<Void> applyRunUpdate(WorkflowRunUpdate update) {
        return Panache.withTransaction(() -> CommandEntity.<CommandEntity>findById(update.commandId())
                .invoke(command -> {
                    if (command == null) {
                        LOG.debugf("run update for unknown command %s ignored", update.commandId());
                        return;
                    }
                    if (update.messageId() != null && update.messageId().equals(command.runMessageId)) {
                        LOG.debugf("run update %s redelivered; already applied", update.messageId());
                        return;
                    }
                    boolean older = command.runUpdatedAt != null && update.at() != null
                            && update.at().isBefore(command.runUpdatedAt);
                    boolean reopens = command.runStatus != null
                            && WorkflowRunUpdate.RunStatus.valueOf(command.runStatus).terminal()
                            && !update.status().terminal();
                    if (older || reopens) {
                        return;
                    }
                    if (update.runId() != null) {
                        command.runId = update.runId();
                    }
                    command.runStatus = update.status().name();
                    command.runDetail = update.detail();
                    command.runUpdatedAt = update.at() == null ? Instant.now() : update.at();
                    command.runMessageId = update.messageId();
                })).replaceWithVoid();
    }

    public Uni<CommandEntity> find(UUID id) {
        return CommandEntity.findById(id);
    }

}
