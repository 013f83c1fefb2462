package dev.flowline.trigger.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

import dev.flowline.contracts.Topics;
import dev.flowline.contracts.WorkflowCommand;
import dev.flowline.outbox.Outbox;
import dev.flowline.trigger.persistence.CommandEntity;

/**
 * Records commands and sends them to {@code workflow-commands} through the outbox, in the caller's transaction. A
 * command id that exists already is not issued again: the earlier command is the answer.
 */
@ApplicationScoped
public class CommandService {

    @Inject
    Outbox outbox;

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

    public Uni<CommandEntity> find(UUID id) {
        return CommandEntity.findById(id);
    }

    public Uni<CommandEntity> findByIdempotencyKey(String key) {
        return CommandEntity.find("idempotencyKey", key).firstResult();
    }
}
