package dev.flowline.devexecutor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The executor's state in PostgreSQL: apps, functions, events, runs, memoized steps and waits. */
final class Store {

    /** A run as the worker needs it. */
    record Run(String runId, String functionId, JsonNode event, String status, int attempt, String stepId,
            List<String> planned, boolean disableImmediate) {
    }

    record Function(String id, String url, int maxAttempts) {
    }

    /** The visible memoized steps of a run, by hashed id, and their completion order. */
    record Memo(ObjectNode steps, List<String> stack) {
    }

    private final DataSource data;
    private final ObjectMapper json;

    Store(DataSource data, ObjectMapper json) {
        this.data = data;
        this.json = json;
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException, JsonProcessingException;
    }

    <T> T transaction(Work<T> work) {
        try (Connection c = data.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | JsonProcessingException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    void syncApp(String appId, String url, String sdk, JsonNode functions) {
        transaction(c -> {
            update(c, "insert into app (app_id, url, sdk, synced_at) values (?, ?, ?, now()) on conflict (app_id) "
                    + "do update set url = excluded.url, sdk = excluded.sdk, synced_at = now()", appId, url, sdk);
            update(c, "delete from function_def where app_id = ?", appId);
            for (JsonNode fn : functions) {
                JsonNode step = fn.path("steps").path("step");
                int attempts = step.path("retries").path("attempts").asInt(4);
                update(c, "insert into function_def (id, app_id, name, triggers, url, max_attempts) "
                        + "values (?, ?, ?, ?::jsonb, ?, ?) on conflict (id) do update set app_id = excluded.app_id, "
                        + "name = excluded.name, triggers = excluded.triggers, url = excluded.url, "
                        + "max_attempts = excluded.max_attempts", fn.path("id").asText(), appId,
                        fn.path("name").asText(fn.path("id").asText()), json.writeValueAsString(fn.path("triggers")),
                        step.path("runtime").path("url").asText(url), Math.max(1, attempts));
            }
            return null;
        });
    }

    /**
     * Records events (a known id is skipped), starts a run of every function they trigger and resolves the waits
     * they satisfy, all in one transaction.
     *
     * @return the ids of the events, in order
     */
    List<String> acceptEvents(List<ObjectNode> events) {
        return transaction(c -> {
            List<String> ids = new ArrayList<>();
            for (ObjectNode event : events) {
                if (!event.path("id").isTextual() || event.path("id").asText().isBlank()) {
                    event.put("id", UUID.randomUUID().toString());
                }
                if (!event.has("ts")) {
                    event.put("ts", System.currentTimeMillis());
                }
                if (!event.has("data")) {
                    event.putObject("data");
                }
                String id = event.path("id").asText();
                ids.add(id);
                int inserted = update(c, "insert into event (id, name, payload, received_at) values (?, ?, ?::jsonb, "
                        + "now()) on conflict (id) do nothing", id, event.path("name").asText(),
                        json.writeValueAsString(event));
                if (inserted == 1) {
                    startRuns(c, event);
                    resolveWaits(c, event);
                }
            }
            return ids;
        });
    }

    private void startRuns(Connection c, ObjectNode event) throws SQLException, JsonProcessingException {
        String name = event.path("name").asText();
        List<String> functions = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select id, triggers from function_def")) {
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    for (JsonNode trigger : json.readTree(rs.getString(2))) {
                        if (name.equals(trigger.path("event").asText(null)) && WaitExpressions.matches(
                                trigger.path("expression").asText(null), event, event)) {
                            functions.add(rs.getString(1));
                            break;
                        }
                    }
                }
            }
        }
        for (String function : functions) {
            update(c, "insert into run (run_id, function_id, event_id, event, status, next_at, created_at, updated_at) "
                    + "values (?, ?, ?, ?::jsonb, 'queued', now(), now(), now()) on conflict (function_id, event_id) "
                    + "do nothing", UUID.randomUUID().toString(), function, event.path("id").asText(),
                    json.writeValueAsString(event));
        }
    }

    private void resolveWaits(Connection c, ObjectNode event) throws SQLException, JsonProcessingException {
        List<String[]> candidates = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select w.run_id, w.hashed_id, w.expression, r.event "
                + "from wait w join run r on r.run_id = w.run_id where w.event_name = ? and w.expires_at > now() "
                + "and r.status = 'waiting' for update of w skip locked")) {
            s.setString(1, event.path("name").asText());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    candidates.add(new String[]{rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4)});
                }
            }
        }
        for (String[] wait : candidates) {
            if (!WaitExpressions.matches(wait[2], json.readTree(wait[3]), event)) {
                continue;
            }
            update(c, "delete from wait where run_id = ? and hashed_id = ?", wait[0], wait[1]);
            ObjectNode memo = json.createObjectNode();
            memo.set("data", event);
            memoize(c, wait[0], wait[1], "WaitForEvent", null, null, memo, Instant.now());
            update(c, "update run set status = 'running', next_at = now(), updated_at = now() where run_id = ? "
                    + "and status = 'waiting'", wait[0]);
        }
    }

    /** Functions with cron triggers: id to cron expressions. */
    java.util.Map<String, List<String>> cronFunctions() {
        return transaction(c -> {
            java.util.Map<String, List<String>> crons = new java.util.LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("select id, triggers from function_def")) {
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        for (JsonNode trigger : json.readTree(rs.getString(2))) {
                            if (trigger.path("cron").isTextual()) {
                                crons.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                                        .add(trigger.path("cron").asText());
                            }
                        }
                    }
                }
            }
            return crons;
        });
    }

    /**
     * Starts the run of a cron slot: its event ({@code inngest/scheduled.timer}) has an id made of function and slot,
     * so a slot starts one run even if the ticker sees it twice.
     */
    void startCronRun(String functionId, String cron, Instant slot) {
        transaction(c -> {
            ObjectNode event = json.createObjectNode();
            event.put("id", "cron-" + functionId + "-" + slot.getEpochSecond());
            event.put("name", "inngest/scheduled.timer");
            event.putObject("data").put("cron", cron);
            event.put("ts", slot.toEpochMilli());
            int inserted = update(c, "insert into event (id, name, payload, received_at) values (?, ?, ?::jsonb, "
                    + "now()) on conflict (id) do nothing", event.path("id").asText(), event.path("name").asText(),
                    json.writeValueAsString(event));
            if (inserted == 1) {
                update(c, "insert into run (run_id, function_id, event_id, event, status, next_at, created_at, "
                        + "updated_at) values (?, ?, ?, ?::jsonb, 'queued', now(), now(), now()) on conflict "
                        + "(function_id, event_id) do nothing", UUID.randomUUID().toString(), functionId,
                        event.path("id").asText(), json.writeValueAsString(event));
            }
            return null;
        });
    }

    /** Claims the next due run for {@code leaseSeconds}; null when none is due. */
    Run claim(int leaseSeconds) {
        return transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("update run set locked_until = now() + make_interval(secs "
                    + "=> ?) where run_id = (select run_id from run where status in ('queued', 'running', 'waiting') "
                    + "and next_at <= now() and (locked_until is null or locked_until < now()) order by next_at "
                    + "limit 1 for update skip locked) returning run_id, function_id, event, status, attempt, "
                    + "step_id, planned, disable_immediate")) {
                s.setInt(1, leaseSeconds);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    List<String> planned = new ArrayList<>();
                    json.readTree(rs.getString(7)).forEach(p -> planned.add(p.asText()));
                    return new Run(rs.getString(1), rs.getString(2), json.readTree(rs.getString(3)),
                            rs.getString(4), rs.getInt(5), rs.getString(6), planned, rs.getBoolean(8));
                }
            }
        });
    }

    /** A lease left by a killed executor is released at start-up, so its runs resume at once. */
    void releaseLeases() {
        transaction(c -> update(c, "update run set locked_until = null where locked_until is not null"));
    }

    Function function(String id) {
        return transaction(c -> {
            try (PreparedStatement s = c
                    .prepareStatement("select id, url, max_attempts from function_def where id = ?")) {
                s.setString(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? new Function(rs.getString(1), rs.getString(2), rs.getInt(3)) : null;
                }
            }
        });
    }

    /** Times out the run's expired waits (memoized as null); answers whether any did. */
    boolean expireWaits(String runId) {
        return transaction(c -> {
            List<String> expired = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("delete from wait where run_id = ? and expires_at <= now() "
                    + "returning hashed_id")) {
                s.setString(1, runId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        expired.add(rs.getString(1));
                    }
                }
            }
            for (String hashed : expired) {
                ObjectNode memo = json.createObjectNode();
                memo.putNull("data");
                memoize(c, runId, hashed, "WaitForEvent", null, null, memo, Instant.now());
            }
            update(c, "update run set status = 'running', updated_at = now() where run_id = ? and status = 'waiting'",
                    runId);
            return !expired.isEmpty();
        });
    }

    Memo memo(String runId) {
        return transaction(c -> {
            ObjectNode steps = json.createObjectNode();
            List<String> stack = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("select hashed_id, memo from run_step where run_id = ? and "
                    + "visible_at <= now() order by seq")) {
                s.setString(1, runId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        steps.set(rs.getString(1), json.readTree(rs.getString(2)));
                        stack.add(rs.getString(1));
                    }
                }
            }
            return new Memo(steps, stack);
        });
    }

    /** A step's memoized result ({@code {data}} or {@code {error}}), visible to the run from {@code visibleAt}. */
    record StepMemo(String hashedId, String op, String name, String displayName, JsonNode memo, Instant visibleAt) {
    }

    /** A wait for an event that a call request reported. */
    record NewWait(String hashedId, String eventName, String expression, Instant expiresAt) {
    }

    /** What one call request's answer changes, applied in one transaction. */
    record Outcome(List<StepMemo> memos, String status, String stepId, List<String> planned, boolean disableImmediate,
            int attempt, Instant nextAt, JsonNode output, JsonNode error, NewWait newWait) {
    }

    void apply(String runId, Outcome outcome) {
        transaction(c -> {
            for (StepMemo m : outcome.memos()) {
                memoize(c, runId, m.hashedId(), m.op(), m.name(), m.displayName(), m.memo(), m.visibleAt());
            }
            NewWait wait = outcome.newWait();
            if (wait != null) {
                update(c, "insert into wait (run_id, hashed_id, event_name, expression, expires_at) values "
                        + "(?, ?, ?, ?, ?) on conflict do nothing", runId, wait.hashedId(), wait.eventName(),
                        wait.expression(), Timestamp.from(wait.expiresAt()));
            }
            boolean ended = outcome.status().equals("completed") || outcome.status().equals("failed");
            // A run cancelled meanwhile stays cancelled.
            update(c, "update run set status = ?, step_id = ?, planned = ?::jsonb, disable_immediate = ?, attempt = ?, "
                    + "next_at = ?, output = ?::jsonb, error = ?::jsonb, locked_until = null, updated_at = now(), "
                    + "ended_at = " + (ended ? "now()" : "null") + " where run_id = ? and status <> 'cancelled'",
                    outcome.status(), outcome.stepId(), json.writeValueAsString(outcome.planned()),
                    outcome.disableImmediate(), outcome.attempt(), outcome.nextAt() == null
                            ? null
                            : Timestamp.from(outcome.nextAt()),
                    outcome.output() == null ? null : json.writeValueAsString(outcome.output()),
                    outcome.error() == null ? null : json.writeValueAsString(outcome.error()), runId);
            return null;
        });
    }

    boolean cancel(String runId) {
        return transaction(c -> update(c, "update run set status = 'cancelled', ended_at = now(), updated_at = now(), "
                + "next_at = null where run_id = ? and status in ('queued', 'running', 'waiting')", runId) == 1);
    }

    private void memoize(Connection c, String runId, String hashed, String op, String name, String displayName,
            JsonNode memo, Instant visibleAt) throws SQLException, JsonProcessingException {
        update(c, "insert into run_step (run_id, hashed_id, op, name, display_name, memo, visible_at) values "
                + "(?, ?, ?, ?, ?, ?::jsonb, ?) on conflict (run_id, hashed_id) do nothing", runId, hashed, op, name,
                displayName, json.writeValueAsString(memo), Timestamp.from(visibleAt));
    }

    /** The read API: runs (newest first), filtered by function and status. */
    ArrayNode runs(String functionId, String status, String eventId) {
        return transaction(c -> {
            StringBuilder sql = new StringBuilder("select run_id, function_id, event_id, status, attempt, output, "
                    + "error, created_at, ended_at from run where true");
            List<Object> args = new ArrayList<>();
            if (functionId != null) {
                sql.append(" and function_id = ?");
                args.add(functionId);
            }
            if (status != null) {
                sql.append(" and status = ?");
                args.add(status);
            }
            if (eventId != null) {
                sql.append(" and event_id = ?");
                args.add(eventId);
            }
            sql.append(" order by created_at desc limit 500");
            ArrayNode out = json.createArrayNode();
            try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                bind(s, args.toArray());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(runJson(rs));
                    }
                }
            }
            return out;
        });
    }

    ObjectNode run(String runId) {
        return transaction(c -> {
            ObjectNode run;
            try (PreparedStatement s = c.prepareStatement("select run_id, function_id, event_id, status, attempt, "
                    + "output, error, created_at, ended_at, event from run where run_id = ?")) {
                s.setString(1, runId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    run = runJson(rs);
                    run.set("event", json.readTree(rs.getString(10)));
                }
            }
            ArrayNode steps = run.putArray("steps");
            try (PreparedStatement s = c.prepareStatement("select hashed_id, op, name, display_name, memo, visible_at "
                    + "from run_step where run_id = ? order by seq")) {
                s.setString(1, runId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        ObjectNode step = steps.addObject();
                        step.put("id", rs.getString(1));
                        step.put("op", rs.getString(2));
                        step.put("name", rs.getString(3));
                        step.put("displayName", rs.getString(4));
                        JsonNode memo = json.readTree(rs.getString(5));
                        if (memo.has("error")) {
                            step.set("error", memo.get("error"));
                        } else {
                            step.set("output", memo.get("data"));
                        }
                        step.put("completedAt", rs.getTimestamp(6).toInstant().toString());
                    }
                }
            }
            return run;
        });
    }

    JsonNode event(String id) {
        return transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("select payload from event where id = ?")) {
                s.setString(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? json.readTree(rs.getString(1)) : null;
                }
            }
        });
    }

    ArrayNode events(String runId) {
        return transaction(c -> {
            ArrayNode out = json.createArrayNode();
            try (PreparedStatement s = c.prepareStatement("select event from run where run_id = ?")) {
                s.setString(1, runId);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        out.add(json.readTree(rs.getString(1)));
                    }
                }
            }
            return out;
        });
    }

    private ObjectNode runJson(ResultSet rs) throws SQLException, JsonProcessingException {
        ObjectNode run = json.createObjectNode();
        run.put("runId", rs.getString(1));
        run.put("functionId", rs.getString(2));
        run.put("eventId", rs.getString(3));
        run.put("status", rs.getString(4));
        run.put("attempt", rs.getInt(5));
        run.set("output", rs.getString(6) == null ? null : json.readTree(rs.getString(6)));
        run.set("error", rs.getString(7) == null ? null : json.readTree(rs.getString(7)));
        run.put("createdAt", rs.getTimestamp(8).toInstant().toString());
        Timestamp ended = rs.getTimestamp(9);
        run.put("endedAt", ended == null ? null : ended.toInstant().toString());
        return run;
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            return s.executeUpdate();
        }
    }

    private static void bind(PreparedStatement s, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            s.setObject(i + 1, args[i]);
        }
    }
}
