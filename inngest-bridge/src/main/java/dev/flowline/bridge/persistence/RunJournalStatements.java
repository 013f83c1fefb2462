package dev.flowline.bridge.persistence;

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

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import dev.flowline.bridge.domain.RunStatus;
import dev.flowline.bridge.domain.StepStatus;

/**
 * The run journal's statements, with the reactive client: a lifecycle record is one transaction of two pipelined
 * rounds (BEGIN, claim the records' ids and lock the rows they change; write them, COMMIT), not one entity round trip
 * per row. The rows are the ones {@link RunEventEntity}, {@link RunEntity} and {@link StepAttemptEntity} map, which
 * the runs API keeps reading; the entities serve here as plain values.
 */
@ApplicationScoped
public class RunJournalStatements {

    /**
     * What a transaction's records find, their rows locked until it ends: the ids of the records not seen before, the
     * run and the attempt.
     */
    public record Locked(Set<UUID> firstTime, RunEntity run, StepAttemptEntity attempt) {
    }

    private final ObjectMapper json;
    private final String insertEvent;
    private final String lockRun;
    private final String lockAttempt;
    private final String insertRun;
    private final String updateRun;
    private final String upsertAttempt;
    private final String failEarlierAttempts;

    @Inject
    RunJournalStatements(@ConfigProperty(name = "quarkus.hibernate-orm.database.default-schema") String schema,
            ObjectMapper json) {
        this.json = json;
        this.insertEvent = "insert into " + schema + ".run_event (message_id, run_id, kind, at, record)"
                + " select message_id, run_id, kind, at, record::jsonb from unnest($1::uuid[], $2::text[], $3::text[],"
                + " $4::timestamptz[], $5::text[]) as e(message_id, run_id, kind, at, record)"
                + " on conflict (message_id) do nothing returning message_id";
        this.lockRun = "select status, output::text, error::text, waiting_for, ended_at, updated_at from " + schema
                + ".run where run_id = $1 for update";
        this.lockAttempt = "select status, input::text, output::text, error::text, error_code, task_key, resolution,"
                + " started_at, ended_at from " + schema + ".step_attempt"
                + " where run_id = $1 and step_id = $2 and execution = $3 and attempt = $4 for update";
        this.insertRun = "insert into " + schema + ".run (run_id, workflow, workflow_version, status, command_id,"
                + " trigger_id, input, output, error, origin_kind, origin_run_id, origin_step, waiting_for, started_at,"
                + " ended_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8::text::jsonb,"
                + " $9::text::jsonb, $10, $11, $12, $13, $14, $15, $16) on conflict (run_id) do nothing";
        this.updateRun = "update " + schema + ".run set status = $2, output = $3::text::jsonb, error = $4::text::jsonb,"
                + " waiting_for = $5, ended_at = $6, updated_at = $7 where run_id = $1";
        this.upsertAttempt = "insert into " + schema + ".step_attempt (run_id, step_id, execution, attempt, status,"
                + " input, output, error, error_code, task_key, resolution, started_at, ended_at) values ($1, $2, $3,"
                + " $4, $5, $6::text::jsonb, $7::text::jsonb, $8::text::jsonb, $9, $10, $11, $12, $13)"
                + " on conflict (run_id, step_id, execution, attempt) do update set status = excluded.status,"
                + " input = excluded.input, output = excluded.output, error = excluded.error,"
                + " error_code = excluded.error_code, task_key = excluded.task_key, resolution = excluded.resolution,"
                + " started_at = excluded.started_at, ended_at = excluded.ended_at";
        this.failEarlierAttempts = "update " + schema + ".step_attempt set status = $1, ended_at = $2"
                + " where run_id = $3 and step_id = $4 and execution = $5 and attempt < $6 and status = $7";
    }

    /** For CDI proxies only. */
    protected RunJournalStatements() {
        this.json = null;
        this.insertEvent = null;
        this.lockRun = null;
        this.lockAttempt = null;
        this.insertRun = null;
        this.updateRun = null;
        this.upsertAttempt = null;
        this.failEarlierAttempts = null;
    }

    /**
     * Round one, sent at once: claims the records' message ids in {@code run_event} and locks their run and, for a
     * step's records ({@code attemptKey} not null), its attempt.
     */
    public Uni<Locked> claim(SqlConnection connection, List<RunEventEntity> events,
            StepAttemptEntity.Key attemptKey) {
        int n = events.size();
        UUID[] ids = new UUID[n];
        String[] runs = new String[n];
        String[] kinds = new String[n];
        OffsetDateTime[] at = new OffsetDateTime[n];
        String[] records = new String[n];
        for (int i = 0; i < n; i++) {
            RunEventEntity event = events.get(i);
            ids[i] = event.messageId;
            runs[i] = event.runId;
            kinds[i] = event.kind;
            at[i] = utc(event.at);
            records[i] = text(event.record);
        }
        String runId = events.get(0).runId;
        Uni<RowSet<Row>> claimed = connection.preparedQuery(insertEvent).execute(Tuple.of(ids, runs, kinds, at,
                records));
        Uni<RowSet<Row>> run = connection.preparedQuery(lockRun).execute(Tuple.of(runId));
        Uni<RowSet<Row>> attempt = attemptKey == null
                ? Uni.createFrom().nullItem()
                : connection.preparedQuery(lockAttempt).execute(Tuple.of(attemptKey.runId(), attemptKey.stepId(),
                        attemptKey.execution(), attemptKey.attempt()));
        return Uni.combine().all().unis(claimed, run, attempt).with((claimedRows, runRows, attemptRows) -> {
            RunEntity found = runRows.rowCount() == 0 ? null : run(runId, runRows.iterator().next());
            StepAttemptEntity foundAttempt = attemptRows == null || attemptRows.rowCount() == 0
                    ? null
                    : attempt(attemptKey, attemptRows.iterator().next());
            return new Locked(fresh(claimedRows), found, foundAttempt);
        });
    }

    /** Opens the transaction; sent with round one. */
    public Uni<Void> begin(SqlConnection connection) {
        return connection.query("begin").execute().replaceWithVoid();
    }

    /** Commits; sent after round two's writes, so a write that failed makes it a rollback. */
    public Uni<Void> commit(SqlConnection connection) {
        return connection.query("commit").execute().replaceWithVoid();
    }

    /**
     * Ends a transaction that failed before its commit was sent, so the connection goes back to the pool clean; a
     * connection that broke has no transaction left, and that failure is ignored.
     */
    public Uni<Void> rollback(SqlConnection connection) {
        return connection.query("rollback").execute().replaceWithVoid().onFailure().recoverWithNull();
    }

    public Uni<Void> insertRun(SqlConnection connection, RunEntity run) {
        return connection.preparedQuery(insertRun).execute(Tuple.from(new Object[]{run.runId, run.workflow,
                run.workflowVersion, run.status.name(), run.commandId, run.triggerId, text(run.input), text(run.output),
                text(run.error), run.originKind, run.originRunId, run.originStep, run.waitingFor, utc(run.startedAt),
                utc(run.endedAt), utc(run.updatedAt)})).replaceWithVoid();
    }

    /** Writes what a record may change on a run: status, output, error, the task it waits for, the times. */
    public Uni<Void> updateRun(SqlConnection connection, RunEntity run) {
        return connection.preparedQuery(updateRun).execute(Tuple.from(new Object[]{run.runId, run.status.name(),
                text(run.output), text(run.error), run.waitingFor, utc(run.endedAt), utc(run.updatedAt)}))
                .replaceWithVoid();
    }

    public Uni<Void> upsertAttempt(SqlConnection connection, StepAttemptEntity attempt) {
        return connection.preparedQuery(upsertAttempt).execute(Tuple.from(new Object[]{attempt.key.runId(),
                attempt.key.stepId(), attempt.key.execution(), attempt.key.attempt(), attempt.status.name(), text(
                        attempt.input),
                text(attempt.output), text(attempt.error), attempt.errorCode, attempt.taskKey, attempt.resolution, utc(
                        attempt.startedAt),
                utc(attempt.endedAt)})).replaceWithVoid();
    }

    /** Ends as failed the earlier attempts of an execution still recorded as running (they never reported back). */
    public Uni<Void> failEarlierAttempts(SqlConnection connection, StepAttemptEntity.Key key, Instant at) {
        return connection.preparedQuery(failEarlierAttempts).execute(Tuple.from(new Object[]{StepStatus.FAILED
                .name(), utc(at), key.runId(), key.stepId(), key.execution(), key.attempt(),
                StepStatus.RUNNING
                        .name()}))
                .replaceWithVoid();
    }

    private static Set<UUID> fresh(RowSet<Row> rows) {
        Set<UUID> ids = new HashSet<>();
        rows.forEach(row -> ids.add(row.getUUID(0)));
        return ids;
    }

    private RunEntity run(String runId, Row row) {
        RunEntity run = new RunEntity();
        run.runId = runId;
        run.status = RunStatus.valueOf(row.getString(0));
        run.output = node(row.getString(1));
        run.error = node(row.getString(2));
        run.waitingFor = row.getString(3);
        run.endedAt = instant(row.getOffsetDateTime(4));
        run.updatedAt = instant(row.getOffsetDateTime(5));
        return run;
    }

    private StepAttemptEntity attempt(StepAttemptEntity.Key key, Row row) {
        StepAttemptEntity attempt = new StepAttemptEntity();
        attempt.key = key;
        attempt.status = StepStatus.valueOf(row.getString(0));
        attempt.input = node(row.getString(1));
        attempt.output = node(row.getString(2));
        attempt.error = node(row.getString(3));
        attempt.errorCode = row.getString(4);
        attempt.taskKey = row.getString(5);
        attempt.resolution = row.getString(6);
        attempt.startedAt = instant(row.getOffsetDateTime(7));
        attempt.endedAt = instant(row.getOffsetDateTime(8));
        return attempt;
    }

    private String text(JsonNode value) {
        if (value == null) {
            return null;
        }
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a lifecycle record's JSON cannot be written", e);
        }
    }

    private JsonNode node(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the runs projection holds JSON it cannot read", e);
        }
    }

    private static OffsetDateTime utc(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }
}
