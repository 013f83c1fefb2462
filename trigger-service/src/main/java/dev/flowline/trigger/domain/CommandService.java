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
import dev.flowline.servicekit.problem.Problem.FieldError;
import dev.flowline.servicekit.problem.ProblemException;
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
     * with the same idempotency key answers the command it made the first time.
     */
    public Uni<CommandEntity> send(String workflow, String version, JsonNode parameters, String requestedBy,
            String idempotencyKey) {
        return outbox.transaction(() -> (idempotencyKey == null
                ? Uni.createFrom().<CommandEntity>nullItem()
                : findByIdempotencyKey(idempotencyKey)).flatMap(previous -> {
                    if (previous != null) {
                        return Uni.createFrom().item(previous);
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
                        return issue(fromApi(workflow, found.get().version(), parameters, requestedBy),
                                idempotencyKey);
                    });
                }));
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
        return entity.<CommandEntity>persist().call(saved -> outbox.enqueue(Topics.WORKFLOW_COMMANDS,
                command.commandId().toString(), WorkflowCommand.MESSAGE_TYPE, command.commandId(), command));
    }

    /** A new command from the API. */
    public static WorkflowCommand fromApi(String workflow, String version, JsonNode parameters, String requestedBy) {
        return new WorkflowCommand(UUID.randomUUID(), workflow, version, parameters,
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

    public Uni<CommandEntity> findByIdempotencyKey(String key) {
        return CommandEntity.find("idempotencyKey", key).firstResult();
    }
}
