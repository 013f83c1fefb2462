package dev.flowline.trigger.persistence;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import dev.flowline.contracts.WorkflowCommand;

/**
 * The event intake's writes for a whole batch, with the reactive client: one statement per table whatever the number
 * of rows (arrays unnested server-side), instead of one entity insert and round trip per row. The rows are the same as
 * the entities {@link EventRecord} and {@link CommandEntity} map, which the APIs keep reading and writing.
 */
@ApplicationScoped
public class IntakeStatements {

    private final String recordedAmong;
    private final String insertEvents;
    private final String insertCommands;

    @Inject
    IntakeStatements(@ConfigProperty(name = "quarkus.hibernate-orm.database.default-schema") String schema) {
        // One statement text whatever the number of ids (an IN list would be a new statement per batch size).
        this.recordedAmong = "select event_id from " + schema + ".event_record where event_id = any($1::text[])";
        this.insertEvents = "insert into " + schema + ".event_record"
                + " (event_id, event_type, source, received_at, outcome, reason, evaluation)"
                + " select event_id, event_type, source, received_at, outcome, reason, evaluation::jsonb from unnest("
                + "$1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[])"
                + " as e(event_id, event_type, source, received_at, outcome, reason, evaluation)";
        this.insertCommands = "insert into " + schema + ".command"
                + " (id, workflow, workflow_version, parameters, source_type, requested_by, trigger_id, event_id,"
                + " schedule_id, slot, created_at)"
                + " select id, workflow, workflow_version, parameters::jsonb, source_type, requested_by, trigger_id,"
                + " event_id, schedule_id, slot, created_at from unnest($1::uuid[], $2::text[], $3::text[],"
                + " $4::text[], $5::text[], $6::text[], $7::uuid[], $8::text[], $9::uuid[], $10::timestamptz[],"
                + " $11::timestamptz[]) as c(id, workflow, workflow_version, parameters, source_type, requested_by,"
                + " trigger_id, event_id, schedule_id, slot, created_at)";
    }

    /** For CDI proxies only. */
    protected IntakeStatements() {
        this.recordedAmong = null;
        this.insertEvents = null;
        this.insertCommands = null;
    }

    /** The ids among {@code ids} recorded before. */
    public Uni<Set<String>> recordedAmong(Pool pool, List<String> ids) {
        return pool.preparedQuery(recordedAmong).execute(Tuple.of(ids.toArray(String[]::new))).map(rows -> {
            Set<String> found = new HashSet<>();
            rows.forEach(row -> found.add(row.getString(0)));
            return found;
        });
    }

    /** Fails (23505) when one of the events was recorded before: the caller's transaction then rolls back whole. */
    public Uni<Void> insertEvents(SqlConnection connection, List<EventRecord> records) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = records.size();
        String[] ids = new String[n];
        String[] types = new String[n];
        String[] sources = new String[n];
        OffsetDateTime[] received = new OffsetDateTime[n];
        String[] outcomes = new String[n];
        String[] reasons = new String[n];
        String[] evaluations = new String[n];
        for (int i = 0; i < n; i++) {
            EventRecord record = records.get(i);
            ids[i] = record.eventId;
            types[i] = record.eventType;
            sources[i] = record.source;
            received[i] = utc(record.receivedAt);
            outcomes[i] = record.outcome;
            reasons[i] = record.reason;
            evaluations[i] = record.evaluation.toString();
        }
        return connection.preparedQuery(insertEvents).execute(Tuple.tuple().addValue(ids).addValue(types)
                .addValue(sources).addValue(received).addValue(outcomes).addValue(reasons).addValue(evaluations))
                .replaceWithVoid();
    }

    /** Fails (23505) when one of the command ids exists: the caller's transaction then rolls back whole. */
    public Uni<Void> insertCommands(SqlConnection connection, List<WorkflowCommand> commands) {
        if (commands.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = commands.size();
        UUID[] ids = new UUID[n];
        String[] workflows = new String[n];
        String[] versions = new String[n];
        String[] parameters = new String[n];
        String[] sourceTypes = new String[n];
        String[] requestedBy = new String[n];
        UUID[] triggerIds = new UUID[n];
        String[] eventIds = new String[n];
        UUID[] scheduleIds = new UUID[n];
        OffsetDateTime[] slots = new OffsetDateTime[n];
        OffsetDateTime[] created = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            WorkflowCommand command = commands.get(i);
            WorkflowCommand.Source source = command.source();
            ids[i] = command.commandId();
            workflows[i] = command.workflow();
            versions[i] = command.workflowVersion();
            parameters[i] = command.parameters().toString();
            sourceTypes[i] = source.type().name();
            requestedBy[i] = source.requestedBy();
            triggerIds[i] = source.triggerId();
            eventIds[i] = source.eventId();
            scheduleIds[i] = source.scheduleId();
            slots[i] = utc(source.slot());
            created[i] = utc(command.createdAt());
        }
        return connection.preparedQuery(insertCommands).execute(Tuple.tuple().addValue(ids).addValue(workflows)
                .addValue(versions).addValue(parameters).addValue(sourceTypes).addValue(requestedBy)
                .addValue(triggerIds).addValue(eventIds).addValue(scheduleIds).addValue(slots).addValue(created))
                .replaceWithVoid();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
