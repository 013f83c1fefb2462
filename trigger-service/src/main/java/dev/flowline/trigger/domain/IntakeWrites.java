package dev.flowline.trigger.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

import dev.flowline.contracts.WorkflowCommand;
import dev.flowline.outbox.Outbox;
import dev.flowline.outbox.OutboxRow;
import dev.flowline.trigger.persistence.EventRecord;
import dev.flowline.trigger.persistence.IntakeStatements;

/**
 * Where {@link EventProcessor}'s writes for an event go: into the current Hibernate Reactive transaction as they come
 * ({@link InTransaction}, one event at a time), or collected for a Kafka batch and written in one SQL-client
 * transaction with one statement per table ({@link Batched}).
 */
interface IntakeWrites {

    Uni<Void> event(EventRecord record);

    /** A command a trigger fired, with its message to {@code workflow-commands}. */
    Uni<Void> command(WorkflowCommand command);

    Uni<Void> message(String topic, String key, String messageType, UUID messageId, Object payload,
            Map<String, String> headers);

    /** Each write is its own statement in the caller's transaction; a command issued before is not issued again. */
    final class InTransaction implements IntakeWrites {

        private final CommandService commands;
        private final Outbox outbox;

        InTransaction(CommandService commands, Outbox outbox) {
            this.commands = commands;
            this.outbox = outbox;
        }

        @Override
        public Uni<Void> event(EventRecord record) {
            return record.persist().replaceWithVoid();
        }

        @Override
        public Uni<Void> command(WorkflowCommand command) {
            return commands.issue(command, null).replaceWithVoid();
        }

        @Override
        public Uni<Void> message(String topic, String key, String messageType, UUID messageId, Object payload,
                Map<String, String> headers) {
            return outbox.enqueue(topic, key, messageType, messageId, payload, headers).replaceWithVoid();
        }
    }

    /**
     * Collects a batch's rows; {@link #write} inserts them in one transaction, the three statements pipelined. Every
     * row is new by construction (the batch's event ids were looked up first), so a row that exists after all (another
     * instance got there) fails the whole write, and the caller falls back to one event at a time.
     */
    final class Batched implements IntakeWrites {

        private final CommandService commandService;
        private final Outbox outbox;
        private final List<EventRecord> events = new ArrayList<>();
        private final List<WorkflowCommand> commands = new ArrayList<>();
        private final List<OutboxRow> messages = new ArrayList<>();

        Batched(CommandService commandService, Outbox outbox) {
            this.commandService = commandService;
            this.outbox = outbox;
        }

        @Override
        public Uni<Void> event(EventRecord record) {
            events.add(record);
            return Uni.createFrom().voidItem();
        }

        @Override
        public Uni<Void> command(WorkflowCommand command) {
            commands.add(command);
            messages.add(commandService.outboxRow(command));
            return Uni.createFrom().voidItem();
        }

        @Override
        public Uni<Void> message(String topic, String key, String messageType, UUID messageId, Object payload,
                Map<String, String> headers) {
            messages.add(outbox.row(topic, key, messageType, messageId, payload, headers));
            return Uni.createFrom().voidItem();
        }

        int rows() {
            return events.size() + commands.size() + messages.size();
        }

        Uni<Void> write(Pool pool, IntakeStatements statements) {
            if (rows() == 0) {
                return Uni.createFrom().voidItem();
            }
            // Subscribed together, the statements queue on the one connection and go out pipelined.
            return pool.withTransaction(connection -> Uni.combine().all().unis(
                    statements.insertEvents(connection, events), statements.insertCommands(connection, commands),
                    outbox.insertAll(connection, messages)).discardItems()).invoke(outbox::committed);
        }
    }
}
