package dev.flowline.bridge.persistence;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

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
 * rounds (claim the record's id and lock the rows it changes; write them), not one entity round trip per row. The
 * rows are the ones {@link RunEventEntity}, {@link RunEntity} and {@link StepAttemptEntity} map, which the runs API
 * keeps reading; the entities serve here as plain values.
 */
@ApplicationScoped
public class RunJournalStatements {

    /** What a record finds, its rows locked until the transaction ends. */
    public record Locked(boolean firstTime, RunEntity run, StepAttemptEntity attempt) {
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
                + " values ($1, $2, $3, $4, $5::text::jsonb) on conflict (message_id) do nothing returning message_id";
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
     * Round one, sent at once: claims the record's message id in {@code run_event} and locks the run and, for a step's
     * record ({@code attemptKey} not null), its attempt.
     */
    public Uni<Locked> claim(SqlConnection connection, RunEventEntity event, StepAttemptEntity.Key attemptKey) {
        Uni<RowSet<Row>> claimed = connection.preparedQuery(insertEvent).execute(Tuple.of(event.messageId, event.runId,
                event.kind, utc(event.at), text(event.record)));
        Uni<RowSet<Row>> run = connection.preparedQuery(lockRun).execute(Tuple.of(event.runId));
        Uni<RowSet<Row>> attempt = attemptKey == null
                ? Uni.createFrom().nullItem()
                : connection.preparedQuery(lockAttempt).execute(Tuple.of(attemptKey.runId(), attemptKey.stepId(),
                        attemptKey.execution(), attemptKey.attempt()));
        return Uni.combine().all().unis(claimed, run, attempt).with((claimedRows, runRows, attemptRows) -> new Locked(
                claimedRows.rowCount() > 0, runRows.rowCount() == 0
                        ? null
                        : run(event.runId, runRows.iterator()
                                .next()),
                attemptRows == null || attemptRows.rowCount() == 0
                        ? null
                        : attempt(attemptKey, attemptRows.iterator()
                                .next())));
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
