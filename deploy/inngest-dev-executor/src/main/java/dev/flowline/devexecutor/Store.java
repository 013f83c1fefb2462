package dev.flowline.devexecutor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    /**
     * @param lease this claim's lease: only its holder may apply the call's outcome
     * @param requestVersion what the SDK answered on the run's first call, or -1 before it
     */
    record Run(String runId, String functionId, JsonNode event, String status, int attempt, String stepId,
            List<String> planned, boolean disableImmediate, UUID lease, int requestVersion,
            Map<String, PlannedItem> plannedItems) {

        /** A planned step's attempt and due time (a planned step not named here is at attempt 0, due now). */
        PlannedItem item(String stepId) {
            return plannedItems.getOrDefault(stepId, PlannedItem.FRESH);
        }

        /** This run as the call of one of its steps sees it: that step current, nothing else planned. */
        /** This run after {@code outcome}, as a worker that keeps its lease calls it again. */
        Run after(Outcome outcome) {
            return new Run(runId, functionId, event, outcome.status(), outcome.attempt(), outcome.stepId(), outcome
                    .planned(), outcome.disableImmediate(), lease, outcome.requestVersion(), outcome.plannedItems());
        }

        Run callingStep(String id, int stepAttempt) {
            return new Run(runId, functionId, event, status, stepAttempt, id, List.of(), disableImmediate, lease,
                    requestVersion, Map.of());
        }
    }

    /**
     * The state of a planned step beside the run's current one: the attempt it is at and when it is due. Parallel
     * steps are called concurrently and each is retried on its own, as each is its own queue item on Inngest.
     */
    record PlannedItem(int attempt, Instant dueAt) {
        static final PlannedItem FRESH = new PlannedItem(0, Instant.EPOCH);
    }

    /** @param stepSlots how many of a run's steps may be called at once: its tightest concurrency limit, if any */
    record Function(String id, String url, int maxAttempts, int stepSlots) {
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

    /**
     * One read statement in autocommit: no BEGIN or COMMIT around it, a round trip instead of two (a worker reads the
     * function and the memo once per call).
     */
    <T> T read(Work<T> work) {
        return autocommit(work);
    }

    /** One statement, atomic by itself, in autocommit: a read, or writes joined in one statement. */
    private <T> T autocommit(Work<T> work) {
        try (Connection c = data.getConnection()) {
            return work.run(c);
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    void syncApp(String appId, String url, String sdk, JsonNode functions) {
        transaction(c -> {
            update(c, "insert into app (app_id, url, sdk, synced_at) values (?, ?, ?, now()) on conflict (app_id) "
                    + "do update set url = excluded.url, sdk = excluded.sdk, synced_at = now()", appId, url, sdk);
            List<String> ids = new ArrayList<>();
            functions.forEach(fn -> ids.add(fn.path("id").asText()));
            // A function the app no longer serves goes; one it still serves keeps its creation time.
            try (PreparedStatement s = c.prepareStatement("delete from function_def where app_id = ? and not (id = "
                    + "any(?))")) {
                s.setString(1, appId);
                s.setArray(2, c.createArrayOf("text", ids.toArray()));
                s.executeUpdate();
            }
            for (JsonNode fn : functions) {
                JsonNode step = fn.path("steps").path("step");
                // Inngest reads retries.attempts as the number of retries: attempts in all are one more.
                int retries = step.path("retries").path("attempts").asInt(DEFAULT_RETRIES);
                int maxAttempts = Math.min(Math.max(retries, 0), MAX_RETRIES) + 1;
                update(c, "insert into function_def (id, app_id, name, triggers, url, max_attempts, concurrency, "
                        + "idempotency, cancel_on, timeouts, config) values (?, ?, ?, ?::jsonb, ?, ?, ?::jsonb, ?, "
                        + "?::jsonb, ?::jsonb, ?::jsonb) on conflict (id) do update set app_id = excluded.app_id, name "
                        + "= excluded.name, triggers = excluded.triggers, url = excluded.url, max_attempts = "
                        + "excluded.max_attempts, concurrency = excluded.concurrency, idempotency = "
                        + "excluded.idempotency, cancel_on = excluded.cancel_on, timeouts = excluded.timeouts, config "
                        + "= excluded.config",
                        fn.path("id").asText(), appId, fn.path("name").asText(fn.path("id").asText()),
                        json.writeValueAsString(fn.path("triggers")), step.path("runtime").path("url").asText(url),
                        maxAttempts, json.writeValueAsString(concurrencyLimits(fn.path("concurrency"))),
                        fn.path("idempotency").asText(null), json.writeValueAsString(fn.path("cancel").isArray()
                                ? fn.path("cancel")
                                : json.createArrayNode()),
                        json.writeValueAsString(fn.path("timeouts").isObject()
                                ? fn.path("timeouts")
                                : json.createObjectNode()),
                        json.writeValueAsString(fn));
            }
            return null;
        });
    }

    /** Inngest takes at most two concurrency limits per function. */
    static final int MAX_CONCURRENCY_LIMITS = 2;

    /** A function's concurrency as Inngest accepts it (a number, one {limit, key, scope} or a list) as a list. */
    static List<JsonNode> concurrencyLimits(JsonNode concurrency) {
        List<JsonNode> limits = new ArrayList<>();
        if (concurrency.isNumber()) {
            limits.add(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("limit",
                    concurrency.asInt()));
        } else if (concurrency.isObject()) {
            limits.add(concurrency);
        } else if (concurrency.isArray()) {
            concurrency.forEach(limits::add);
        }
        return limits;
    }

    /**
     * The key of each of a function's limits for a run started by {@code event}: scope, function (for fn scope) and
     * the key expression's value, so runs that share a key string share the slot.
     */
    private ArrayNode concurrencyKeys(Connection c, String functionId, JsonNode event) throws SQLException,
            JsonProcessingException {
        ArrayNode keys = json.createArrayNode();
        try (PreparedStatement s = c.prepareStatement("select concurrency from function_def where id = ?")) {
            s.setString(1, functionId);
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    int index = 0;
                    for (JsonNode limit : json.readTree(rs.getString(1))) {
                        String scope = limit.path("scope").asText("fn");
                        String which = "fn:" + functionId + ":" + index++ + ":";
                        String value = limit.path("key").isTextual()
                                ? Expressions.key(limit.path("key").asText(), event)
                                : "";
                        // As Inngest (util.ConcurrencyKey): an env- or account-scoped limit is keyed by its scope
                        // and the evaluated value only, so functions with different key expressions share a slot
                        // when their values agree. This executor is one account with one environment.
                        keys.add(scope.equals("fn")
                                ? which + value
                                : (scope.equals("account") ? "a:" + ACCOUNT : "e:" + ENVIRONMENT) + ":" + value);
                    }
                }
            }
        }
        return keys;
    }

    /** The one account and environment this executor is; scoped concurrency keys name them. */
    static final String ACCOUNT = "dev";
    static final String ENVIRONMENT = "dev";

    /** Inngest's default when a function says nothing: 4 retries, 5 attempts. */
    static final int DEFAULT_RETRIES = 4;
    /** Inngest clamps retries to 20. */
    static final int MAX_RETRIES = 20;
    /** How long a sender's event id deduplicates run starts, per function (Inngest's function idempotency period). */
    static final String RUN_DEDUP_PERIOD = "24 hours";

    /**
     * Records every event under an id of the executor's own, starts a run of every function it triggers (unless that
     * function started a run for the same sender's event id in the last 24 hours) and resolves the waits it
     * satisfies, all in one transaction. As on Inngest, a resent event (same id) is stored again and still matched
     * against waits; only run starts are deduplicated.
     *
     * @return the executor's ids of the events, in order (not the senders' ids)
     */
    List<String> acceptEvents(List<ObjectNode> events) {
        return transaction(c -> {
            List<String> ids = new ArrayList<>();
            for (ObjectNode event : events) {
                ids.add(accept(c, event));
            }
            return ids;
        });
    }

    private String accept(Connection c, ObjectNode event) throws SQLException, JsonProcessingException {
        String internalId = Ulid.next();
        if (!event.path("id").isTextual() || event.path("id").asText().isBlank()) {
            event.put("id", internalId);
        }
        if (!event.has("ts")) {
            event.put("ts", System.currentTimeMillis());
        }
        if (!event.has("data")) {
            event.putObject("data");
        }
        if (!event.has("user")) {
            event.putObject("user");
        }
        update(c, "insert into event (internal_id, event_id, name, payload, received_at) values (?, ?, ?, ?::jsonb, "
                + "now())", internalId, event.path("id").asText(), event.path("name").asText(),
                json.writeValueAsString(event));
        // Cancellations first: a run is cancelled only by events that arrive after it started, not by its trigger.
        cancelMatching(c, event);
        startRuns(c, event, internalId);
        resolveWaits(c, event);
        return internalId;
    }

    /**
     * Keeps an event the executor made itself to start a run (a cron slot's, an invoke's) under an id of its own, as
     * the server keeps them, without matching it against triggers, waits or cancellations.
     */
    private String record(Connection c, ObjectNode event) throws SQLException, JsonProcessingException {
        String internalId = Ulid.next();
        update(c, "insert into event (internal_id, event_id, name, payload, received_at) values (?, ?, ?, ?::jsonb, "
                + "now())", internalId, event.path("id").asText(), event.path("name").asText(),
                json.writeValueAsString(event));
        return internalId;
    }

    /** The events Inngest emits when a run ends; they trigger functions (an onFailure handler) like any event. */
    static final String FUNCTION_FINISHED = "inngest/function.finished";
    static final String FUNCTION_FAILED = "inngest/function.failed";
    static final String FUNCTION_CANCELLED = "inngest/function.cancelled";

    private void runEnded(Connection c, String functionId, String runId, JsonNode trigger, String status,
            JsonNode output, JsonNode error) throws SQLException, JsonProcessingException {
        List<String> names = switch (status) {
            case "completed" -> List.of(FUNCTION_FINISHED);
            case "failed" -> List.of(FUNCTION_FAILED, FUNCTION_FINISHED);
            case "cancelled" -> List.of(FUNCTION_CANCELLED, FUNCTION_FINISHED);
            default -> List.of();
        };
        for (String name : names) {
            ObjectNode event = json.createObjectNode();
            // One id per run and kind, as the server's (the run id): a run ends once, so it is announced once.
            event.put("id", name + ":" + runId);
            event.put("name", name);
            ObjectNode data = event.putObject("data");
            data.put("function_id", functionId);
            data.put("run_id", runId);
            data.set("event", trigger);
            data.putArray("events").add(trigger);
            if (output != null && status.equals("completed")) {
                data.set("result", output);
            }
            if (error != null) {
                data.set("error", error);
            }
            data.putObject("inngest").put("status", status);
            accept(c, event);
        }
    }

    /** Starts a run unless the function started one for this sender's event id within the dedup period. */
    private void startRun(Connection c, String functionId, ObjectNode event, String eventInternalId)
            throws SQLException, JsonProcessingException {
        String eventId = event.path("id").asText();
        FlowControl flow = flowControl(c, functionId);
        // With an idempotency expression, its value deduplicates run starts instead of the event id.
        String idempotencyKey = flow.idempotency() == null ? null : Expressions.key(flow.idempotency(), event);
        String dedupColumn = idempotencyKey == null ? "event_id" : "idempotency_key";
        String dedupValue = idempotencyKey == null ? eventId : idempotencyKey;
        // Serialises concurrent starts of the same (function, key) so that exactly one wins.
        try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(hashtext(?))")) {
            lock.setString(1, functionId + "/" + dedupColumn + "/" + dedupValue);
            lock.execute();
        }
        String runId = Ulid.next();
        int started = update(c, "insert into run (run_id, function_id, event_id, event, status, next_at, created_at, "
                + "updated_at, concurrency_keys, idempotency_key, event_internal_id) select ?, ?, ?, ?::jsonb, "
                + "'queued', now(), now(), now(), ?::jsonb, ?, ? where not exists (select 1 from run where "
                + "function_id = ? and " + dedupColumn + " = ? and created_at > now() - interval '" + RUN_DEDUP_PERIOD
                + "')", runId, functionId, eventId, json.writeValueAsString(event),
                json.writeValueAsString(
                        concurrencyKeys(c, functionId, event)),
                idempotencyKey, eventInternalId, functionId,
                dedupValue);
        if (started == 1) {
            registerCancellations(c, runId, flow);
        }
    }

    /** A run's cancelOn conditions, registered when it starts (by an event, an invoke or a re-run). */
    private void registerCancellations(Connection c, String runId, FlowControl flow) throws SQLException {
        JsonNode cancelOn = flow.cancelOn();
        for (int i = 0; i < cancelOn.size(); i++) {
            JsonNode cancel = cancelOn.get(i);
            Instant expires = Instant.now().plus(cancel.path("timeout").isTextual()
                    ? dev.flowline.inngest.protocol.TimeStrings.parse(cancel.path("timeout").asText())
                    : java.time.Duration.ofDays(365));
            update(c, "insert into cancellation (run_id, seq, event_name, expression, expires_at) values (?, ?, ?, ?, "
                    + "?)", runId, i, cancel.path("event").asText(), cancel.path("if").asText(null),
                    Timestamp.from(
                            expires));
        }
    }

    private static boolean exists(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** A function's idempotency expression, cancelOn entries and timeouts, as synced. */
    record FlowControl(String idempotency, JsonNode cancelOn, JsonNode timeouts) {
    }

    private FlowControl flowControl(Connection c, String functionId) throws SQLException, JsonProcessingException {
        try (PreparedStatement s = c.prepareStatement("select idempotency, cancel_on, timeouts from function_def "
                + "where id = ?")) {
            s.setString(1, functionId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next()
                        ? new FlowControl(rs.getString(1), json.readTree(rs.getString(2)), json.readTree(rs
                                .getString(3)))
                        : new FlowControl(null, json.createArrayNode(), json.createObjectNode());
            }
        }
    }

    /** Cancels the runs whose cancelOn condition {@code event} meets (event: the run's trigger, async: this one). */
    private void cancelMatching(Connection c, ObjectNode event) throws SQLException, JsonProcessingException {
        List<String[]> candidates = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select x.run_id, x.expression, r.event from cancellation x "
                + "join run r on r.run_id = x.run_id where x.event_name = ? and x.expires_at > now() and r.status "
                + "in ('queued', 'running', 'waiting')")) {
            s.setString(1, event.path("name").asText());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    candidates.add(new String[]{rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
        }
        for (String[] candidate : candidates) {
            if (Expressions.matches(candidate[1], json.readTree(candidate[2]), event)) {
                cancel(c, candidate[0], "cancelled by " + event.path("name").asText());
            }
        }
    }

    /** Cancels the runs that exceeded their function's start or finish timeout; answers how many. */
    int enforceTimeouts() {
        return transaction(c -> {
            List<String> expired = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("select r.run_id, f.timeouts, r.created_at, r.started_at "
                    + "from run r join function_def f on f.id = r.function_id where r.status in ('queued', "
                    + "'running', 'waiting') and f.timeouts <> '{}'::jsonb")) {
                try (ResultSet rs = s.executeQuery()) {
                    Instant now = Instant.now();
                    while (rs.next()) {
                        JsonNode timeouts = json.readTree(rs.getString(2));
                        Instant created = rs.getTimestamp(3).toInstant();
                        Timestamp startedAt = rs.getTimestamp(4);
                        // start: from the event until the first call; finish: from the first call until the end.
                        if (startedAt == null && timeouts.path("start").isTextual() && created.plus(
                                dev.flowline.inngest.protocol.TimeStrings.parse(timeouts.path("start").asText()))
                                .isBefore(now)) {
                            expired.add(rs.getString(1));
                        } else if (startedAt != null && timeouts.path("finish").isTextual() && startedAt.toInstant()
                                .plus(dev.flowline.inngest.protocol.TimeStrings.parse(timeouts.path("finish")
                                        .asText()))
                                .isBefore(now)) {
                            expired.add(rs.getString(1));
                        }
                    }
                }
            }
            int cancelled = 0;
            for (String runId : expired) {
                cancelled += cancel(c, runId, "timed out") ? 1 : 0;
            }
            return cancelled;
        });
    }

    private void startRuns(Connection c, ObjectNode event, String eventInternalId) throws SQLException,
            JsonProcessingException {
        String name = event.path("name").asText();
        List<String> functions = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select id, triggers from function_def")) {
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    // A run's own end never starts the same function again (no endless inngest/function.* loop).
                    if (name.startsWith("inngest/function.") && rs.getString(1).equals(event.path("data").path(
                            "function_id").asText())) {
                        continue;
                    }
                    for (JsonNode trigger : json.readTree(rs.getString(2))) {
                        if (name.equals(trigger.path("event").asText(null)) && Expressions.matches(
                                trigger.path("expression").asText(null), event, null)) {
                            functions.add(rs.getString(1));
                            break;
                        }
                    }
                }
            }
        }
        for (String function : functions) {
            startRun(c, function, event, eventInternalId);
        }
    }

    private void resolveWaits(Connection c, ObjectNode event) throws SQLException, JsonProcessingException {
        List<String[]> candidates = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select w.run_id, w.hashed_id, w.expression, r.event, w.kind "
                + "from wait w join run r on r.run_id = w.run_id where w.event_name = ? and w.expires_at > now() "
                + "and r.status in ('queued', 'running', 'waiting')")) {
            s.setString(1, event.path("name").asText());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    candidates.add(new String[]{rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5)});
                }
            }
        }
        for (String[] wait : candidates) {
            if (!Expressions.matches(wait[2], json.readTree(wait[3]), event)) {
                continue;
            }
            // The delete claims the wait: of two events matching it at once, only one resolves it (no row lock
            // is taken before the condition is known, so a non-matching event never hides the wait from another).
            if (update(c, "delete from wait where run_id = ? and hashed_id = ?", wait[0], wait[1]) != 1) {
                continue;
            }
            if (WAIT_FOR_INVOKE.equals(wait[4])) {
                // An invoke's memo is the invoked run's result, or its error.
                ObjectNode memo = json.createObjectNode();
                if (event.path("data").hasNonNull("error")) {
                    memo.set("error", event.path("data").get("error"));
                } else {
                    memo.set("data", event.path("data").path("result"));
                }
                memoize(c, wait[0], wait[1], "InvokeFunction", null, null, memo, Instant.now());
            } else {
                // Inngest memoizes a matched wait as the whole event, not nested in data.
                memoize(c, wait[0], wait[1], "WaitForEvent", null, null, event, Instant.now());
            }
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
            event.putObject("user");
            startRun(c, functionId, event, record(c, event));
            return null;
        });
    }

    /** Claims the next due run for {@code leaseSeconds}; null when none is due. */
    Run claim(int leaseSeconds) {
        return transaction(c -> {
            UUID lease = UUID.randomUUID();
            // Claims are serialised, so two workers cannot both take the last slot of a concurrency limit.
            try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(8288)")) {
                lock.execute();
            }
            // A run is due unless one of its function's limits is full: a limit counts the runs being called now
            // (leased) with the same key; sleeping and waiting runs are not leased, so they hold no slot.
            try (PreparedStatement s = c.prepareStatement("update run set locked_until = now() + make_interval(secs "
                    + "=> ?), lease_id = ?, started_at = coalesce(started_at, now()) where run_id = (select r.run_id from run r left join function_def f on "
                    + "f.id = r.function_id where r.status in ('queued', 'running', 'waiting') and r.next_at <= now() "
                    + "and (r.locked_until is null or r.locked_until < now()) and not exists (select 1 from "
                    + "jsonb_array_elements(coalesce(f.concurrency, '[]')) with ordinality as l(lim, i) where (select "
                    + "count(*) from run o where o.locked_until > now() and o.status in ('queued', 'running', "
                    + "'waiting') and o.concurrency_keys @> jsonb_build_array("
                    + "r.concurrency_keys ->> (l.i::int - 1))) >= (l.lim ->> 'limit')::int) order by r.next_at "
                    + "limit 1 for update of r skip locked) returning run_id, function_id, event, status, attempt, "
                    + "step_id, planned, disable_immediate, request_version, planned_items")) {
                s.setInt(1, leaseSeconds);
                s.setObject(2, lease);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    List<String> planned = new ArrayList<>();
                    json.readTree(rs.getString(7)).forEach(p -> planned.add(p.asText()));
                    Map<String, PlannedItem> items = new java.util.LinkedHashMap<>();
                    json.readTree(rs.getString(10)).fields().forEachRemaining(e -> items.put(e.getKey(),
                            new PlannedItem(e.getValue().path("attempt").asInt(), Instant.parse(e.getValue().path(
                                    "dueAt").asText(Instant.EPOCH.toString())))));
                    return new Run(rs.getString(1), rs.getString(2), json.readTree(rs.getString(3)),
                            rs.getString(4), rs.getInt(5), rs.getString(6), planned, rs.getBoolean(8), lease,
                            rs.getInt(9), items);
                }
            }
        });
    }

    /** Releases {@code run}'s lease if it still holds it. */
    void release(Run run) {
        transaction(c -> update(c, "update run set locked_until = null where run_id = ? and lease_id = ?", run.runId(),
                run.lease()));
    }

    /** A lease left by a killed executor is released at start-up, so its runs resume at once. */
    void releaseLeases() {
        transaction(c -> update(c, "update run set locked_until = null where locked_until is not null"));
    }

    Function function(String id) {
        return read(c -> {
            try (PreparedStatement s = c
                    .prepareStatement("select id, url, max_attempts, (select min((l ->> 'limit')::int) from "
                            + "jsonb_array_elements(concurrency) l) from function_def where id = ?")) {
                s.setString(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    int slots = rs.getInt(4);
                    boolean unlimited = rs.wasNull();
                    return new Function(rs.getString(1), rs.getString(2), rs.getInt(3), unlimited
                            ? Integer.MAX_VALUE
                            : slots);
                }
            }
        });
    }

    /** Times out the run's expired waits (memoized as null); answers whether any did. */
    boolean expireWaits(String runId) {
        return transaction(c -> {
            List<String> expired = new ArrayList<>();
            List<String> kinds = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("delete from wait where run_id = ? and expires_at <= now() "
                    + "returning hashed_id, kind")) {
                s.setString(1, runId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        expired.add(rs.getString(1));
                        kinds.add(rs.getString(2));
                    }
                }
            }
            for (int i = 0; i < expired.size(); i++) {
                if (WAIT_FOR_INVOKE.equals(kinds.get(i))) {
                    ObjectNode memo = json.createObjectNode();
                    memo.putObject("error").put("name", "InngestInvokeTimeoutError").put("message",
                            "Timed out waiting for invoked function to complete");
                    memoize(c, runId, expired.get(i), "InvokeFunction", null, null, memo, Instant.now());
                } else {
                    // A timed-out wait is memoized as null, as on Inngest.
                    memoize(c, runId, expired.get(i), "WaitForEvent", null, null, json.nullNode(), Instant.now());
                }
            }
            update(c, "update run set status = 'running', updated_at = now() where run_id = ? and status = 'waiting'",
                    runId);
            return !expired.isEmpty();
        });
    }

    Memo memo(String runId) {
        return read(c -> {
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
    record StepMemo(String hashedId, String op, String name, String displayName, JsonNode memo, Instant visibleAt,
            JsonNode input) {
    }

    /** What became of a checkpoint. */
    enum Checkpointed {
        /** The steps are memoized (a step memoized before is left as it was). */
        SAVED,
        /** No such run. */
        UNKNOWN_RUN,
        /** The call that sent it no longer holds the run (its lease went to another call, or the run ended). */
        STALE
    }

    /**
     * Memoizes the steps an SDK ran during a call and reports before it answers (checkpointing), as the server's
     * {@code CheckpointAsyncSteps}: only while the call's lease is the run's current one, so a call that lost its
     * lease cannot write results that a newer call of the same run might contradict.
     */
    Checkpointed checkpoint(String runId, UUID lease, List<StepMemo> steps) {
        // One statement in autocommit (lock the run if this call holds it, memoize, touch the run): a round trip
        // instead of a transaction's five, since an SDK checkpoints after every step.
        StringBuilder rows = new StringBuilder();
        List<Object> args = new ArrayList<>();
        args.add(runId);
        args.add(lease);
        try {
            for (int i = 0; i < steps.size(); i++) {
                StepMemo step = steps.get(i);
                rows.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?::jsonb, ?::timestamptz, ?::jsonb, ?)");
                args.add(step.hashedId());
                args.add(step.op());
                args.add(step.name());
                args.add(step.displayName());
                args.add(json.writeValueAsString(step.memo()));
                args.add(Timestamp.from(step.visibleAt()));
                args.add(step.input() == null || step.input().isMissingNode()
                        ? null
                        : json.writeValueAsString(step.input()));
                args.add(i);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        String memoize = steps.isEmpty()
                ? ""
                : ", memoized as (insert into run_step (run_id, hashed_id, op, name, display_name, memo, visible_at, "
                        + "input, checkpointed) select held.run_id, v.hashed_id, v.op, v.name, v.display_name, v.memo, "
                        + "v.visible_at, v.input, true from held, (values " + rows + ") as v(hashed_id, op, name, "
                        + "display_name, memo, visible_at, input, ord) order by v.ord " + CHECKPOINT_CONFLICT
                        + " returning 1)";
        String sql = "with held as (select run_id from run where run_id = ? and lease_id = ? and status in ('queued', "
                + "'running', 'waiting') for update)" + memoize + ", touched as (update run set updated_at = now() "
                + "where run_id in (select run_id from held) returning 1) select count(*) from held";
        boolean held = autocommit(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                bind(s, args.toArray());
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getInt(1) == 1;
                }
            }
        });
        if (held) {
            return Checkpointed.SAVED;
        }
        return read(c -> exists(c, "select 1 from run where run_id = ?", runId))
                ? Checkpointed.STALE
                : Checkpointed.UNKNOWN_RUN;
    }

    /** A wait for an event that a call request reported. */
    /**
     * @param kind {@link #WAIT_FOR_EVENT}, or {@link #WAIT_FOR_INVOKE} with the function to start and its data
     */
    record NewWait(String hashedId, String eventName, String expression, Instant expiresAt, String kind,
            String invokeFunction, JsonNode invokeData, String invokedRun) {

        NewWait(String hashedId, String eventName, String expression, Instant expiresAt, String kind,
                String invokeFunction, JsonNode invokeData) {
            this(hashedId, eventName, expression, expiresAt, kind, invokeFunction, invokeData, null);
        }

        NewWait withInvokedRun(String runId) {
            return new NewWait(hashedId, eventName, expression, expiresAt, kind, invokeFunction, invokeData, runId);
        }
    }

    static final String WAIT_FOR_EVENT = "event";
    static final String WAIT_FOR_INVOKE = "invoke";
    static final String FUNCTION_INVOKED = "inngest/function.invoked";

    /**
     * What one call request's answer changes, applied in one transaction.
     *
     * @param requestVersion the request version to send from now on (the SDK's answer on the first call)
     */
    record Outcome(List<StepMemo> memos, String status, String stepId, List<String> planned, boolean disableImmediate,
            int attempt, Instant nextAt, JsonNode output, JsonNode error, List<NewWait> waits, int requestVersion,
            Map<String, PlannedItem> plannedItems) {

        Outcome(List<StepMemo> memos, String status, String stepId, List<String> planned, boolean disableImmediate,
                int attempt, Instant nextAt, JsonNode output, JsonNode error, NewWait wait, int requestVersion) {
            this(memos, status, stepId, planned, disableImmediate, attempt, nextAt, output, error, wait == null
                    ? List.of()
                    : List.of(wait), requestVersion, Map.of());
        }

        Outcome withRequestVersion(int version) {
            return new Outcome(memos, status, stepId, planned, disableImmediate, attempt, nextAt, output, error,
                    waits, version, plannedItems);
        }

        boolean ended() {
            return status.equals("completed") || status.equals("failed");
        }
    }

    /**
     * Applies a call's outcome if {@code run}'s lease is still the run's: a worker whose lease was taken over (it
     * outlived the lease) or whose run was cancelled meanwhile changes nothing.
     *
     * @return whether the outcome was applied
     */
    boolean apply(Run run, Outcome outcome) {
        return apply(run, outcome, 0);
    }

    /**
     * As {@link #apply(Run, Outcome)}; with {@code keepLeaseSeconds} above zero the call's lease is renewed for that
     * long instead of released, for a worker that calls the run again at once.
     */
    boolean apply(Run run, Outcome outcome, int keepLeaseSeconds) {
        String runId = run.runId();
        boolean ended = outcome.status().equals("completed") || outcome.status().equals("failed");
        if (!ended && outcome.waits().isEmpty() && outcome.memos().size() <= 1) {
            // The usual outcome, a step's result while the run goes on: one statement in autocommit, one round trip
            // instead of three (update, insert, commit).
            return autocommit(c -> applyStep(c, run, outcome, keepLeaseSeconds));
        }
        return transaction(c -> {
            int updated = updateRun(c, run, outcome, keepLeaseSeconds, ended, "");
            if (updated == 0) {
                return false;
            }
            if (ended) {
                runEnded(c, run.functionId(), runId, run.event(), outcome.status(), outcome.output(), outcome.error());
            }
            for (StepMemo m : outcome.memos()) {
                memoize(c, runId, m.hashedId(), m.op(), m.name(), m.displayName(), m.memo(), m.visibleAt(), m
                        .input());
            }
            for (NewWait wait : outcome.waits()) {
                // A wait (or invoke) that was already resolved, while a step beside it ran, is not made again.
                int registered = update(c, "insert into wait (run_id, hashed_id, event_name, expression, expires_at, "
                        + "kind) select ?, ?, ?, ?, ?, ? where not exists (select 1 from run_step where run_id = ? and "
                        + "hashed_id = ?) on conflict do nothing", runId, wait.hashedId(), wait.eventName(),
                        wait.expression(), Timestamp.from(wait.expiresAt()), wait.kind(), runId, wait.hashedId());
                if (registered == 1 && WAIT_FOR_INVOKE.equals(wait.kind())) {
                    startInvoked(c, wait, runId);
                }
                if (registered == 0 && exists(c, "select 1 from run_step where run_id = ? and hashed_id = ?", runId,
                        wait.hashedId())) {
                    update(c, "update run set status = 'running', next_at = now() where run_id = ? and status = "
                            + "'waiting'", runId);
                }
            }
            return true;
        });
    }

    /**
     * The run's update (guarded by the lease, as every apply is), with {@code then} after it: empty, or the tail of
     * a data-modifying statement that reads the updated run's id as {@code applied}.
     */
    private int updateRun(Connection c, Run run, Outcome outcome, int keepLeaseSeconds, boolean ended, String then,
            Object... thenArgs) throws SQLException, JsonProcessingException {
        ObjectNode items = json.createObjectNode();
        outcome.plannedItems().forEach((id, item) -> items.putObject(id).put("attempt", item.attempt()).put("dueAt",
                item.dueAt().toString()));
        String update = "update run set status = ?, step_id = ?, planned = ?::jsonb, disable_immediate = ?, attempt = "
                + "?, next_at = ?, output = ?::jsonb, error = ?::jsonb, request_version = ?, planned_items = ?::jsonb, "
                + "locked_until = " + (keepLeaseSeconds > 0
                        ? "now() + make_interval(secs => " + keepLeaseSeconds + ")"
                        : "null")
                + ", updated_at = now(), ended_at = " + (ended ? "now()" : "null")
                + " where run_id = ? and lease_id = ? and status <> 'cancelled'";
        // An ArrayList, not List.of: several arguments are null.
        List<Object> args = new ArrayList<>();
        args.add(outcome.status());
        args.add(outcome.stepId());
        args.add(json.writeValueAsString(outcome.planned()));
        args.add(outcome.disableImmediate());
        args.add(outcome.attempt());
        args.add(outcome.nextAt() == null ? null : Timestamp.from(outcome.nextAt()));
        args.add(outcome.output() == null ? null : json.writeValueAsString(outcome.output()));
        args.add(outcome.error() == null ? null : json.writeValueAsString(outcome.error()));
        args.add(outcome.requestVersion());
        args.add(json.writeValueAsString(items));
        args.add(run.runId());
        args.add(run.lease());
        if (then.isEmpty()) {
            return update(c, update, args.toArray());
        }
        args.addAll(java.util.Arrays.asList(thenArgs));
        try (PreparedStatement s = c.prepareStatement("with applied as (" + update + " returning run_id) " + then)) {
            bind(s, args.toArray());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** A step's outcome that neither ends the run nor waits: the run's update and its one memo, if any. */
    private boolean applyStep(Connection c, Run run, Outcome outcome, int keepLeaseSeconds) throws SQLException,
            JsonProcessingException {
        if (outcome.memos().isEmpty()) {
            return updateRun(c, run, outcome, keepLeaseSeconds, false, "") == 1;
        }
        StepMemo m = outcome.memos().get(0);
        return updateRun(c, run, outcome, keepLeaseSeconds, false, ", memo as (insert into run_step (run_id, "
                + "hashed_id, op, name, display_name, memo, visible_at, input) select run_id, ?, ?, ?, ?, ?::jsonb, ?, "
                + "?::jsonb from applied " + MEMO_CONFLICT + ") select count(*) from applied", m.hashedId(), m.op(),
                m.name(), m.displayName(), json.writeValueAsString(m.memo()), Timestamp.from(m.visibleAt()), m
                        .input() == null || m.input().isMissingNode() ? null : json.writeValueAsString(m.input())) == 1;
    }

    /** Cancels a run that has not ended: its waits end, nothing more is called, and the end is announced. */
    boolean cancel(String runId) {
        return transaction(c -> cancel(c, runId, "cancelled"));
    }

    private boolean cancel(Connection c, String runId, String reason) throws SQLException, JsonProcessingException {
        {
            String functionId = null;
            JsonNode trigger = null;
            try (PreparedStatement s = c.prepareStatement("update run set status = 'cancelled', ended_at = now(), "
                    + "updated_at = now(), next_at = null where run_id = ? and status in ('queued', 'running', "
                    + "'waiting') returning function_id, event")) {
                s.setString(1, runId);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        functionId = rs.getString(1);
                        trigger = json.readTree(rs.getString(2));
                    }
                }
            }
            if (functionId == null) {
                return false;
            }
            update(c, "delete from wait where run_id = ?", runId);
            update(c, "delete from cancellation where run_id = ?", runId);
            ObjectNode error = json.createObjectNode().put("name", "Cancelled").put("message", reason);
            update(c, "update run set error = ?::jsonb, locked_until = null where run_id = ?", json
                    .writeValueAsString(error), runId);
            // With the error, so a parent invoking this run sees it fail rather than return nothing.
            runEnded(c, functionId, runId, trigger, "cancelled", null, error);
            return true;
        }
    }

    private int memoize(Connection c, String runId, String hashed, String op, String name, String displayName,
            JsonNode memo, Instant visibleAt) throws SQLException, JsonProcessingException {
        return memoize(c, runId, hashed, op, name, displayName, memo, visibleAt, null);
    }

    /** A memo is written once; only a re-run's replacement input ({@link #INPUT_OP}) gives way to the step's result. */
    private int memoize(Connection c, String runId, String hashed, String op, String name, String displayName,
            JsonNode memo, Instant visibleAt, JsonNode input) throws SQLException, JsonProcessingException {
        return update(c,
                "insert into run_step (run_id, hashed_id, op, name, display_name, memo, visible_at, input) values "
                        + "(?, ?, ?, ?, ?, ?::jsonb, ?, ?::jsonb) " + MEMO_CONFLICT,
                runId, hashed, op, name, displayName, json.writeValueAsString(memo), Timestamp.from(visibleAt),
                input == null || input.isMissingNode() ? null : json.writeValueAsString(input));
    }

    /** The op of a memo that only gives a step its input (a re-run from that step with a replaced input). */
    static final String INPUT_OP = "Input";

    private static final String MEMO_REPLACED = "op = excluded.op, name = excluded.name, display_name = "
            + "excluded.display_name, memo = excluded.memo, visible_at = excluded.visible_at, input = excluded.input";
    private static final String ONLY_OVER_INPUT = " where run_step.op = '" + INPUT_OP + "'";
    private static final String MEMO_CONFLICT = "on conflict (run_id, hashed_id) do update set " + MEMO_REPLACED
            + ONLY_OVER_INPUT;
    /** As {@link #MEMO_CONFLICT}, for a checkpoint: a step it memoizes is marked checkpointed. */
    private static final String CHECKPOINT_CONFLICT = "on conflict (run_id, hashed_id) do update set " + MEMO_REPLACED
            + ", checkpointed = true" + ONLY_OVER_INPUT;

    /** The invoked function's run: its event is {@code inngest/function.invoked} with the payload's data. */
    private void startInvoked(Connection c, NewWait wait, String caller) throws SQLException,
            JsonProcessingException {
        ObjectNode event = json.createObjectNode();
        event.put("id", FUNCTION_INVOKED + ":" + wait.invokedRun());
        event.put("name", FUNCTION_INVOKED);
        event.set("data", wait.invokeData() == null || wait.invokeData().isMissingNode()
                ? json.createObjectNode()
                : wait.invokeData());
        event.put("ts", System.currentTimeMillis());
        event.putObject("user");
        update(c, "insert into run (run_id, function_id, event_id, event, status, next_at, created_at, updated_at, "
                + "concurrency_keys, event_internal_id) values (?, ?, ?, ?::jsonb, 'queued', now(), now(), now(), "
                + "?::jsonb, ?)", wait.invokedRun(), wait.invokeFunction(), event.path("id").asText(),
                json.writeValueAsString(event), json.writeValueAsString(concurrencyKeys(c, wait.invokeFunction(),
                        event)),
                record(c, event));
        registerCancellations(c, wait.invokedRun(), flowControl(c, wait.invokeFunction()));
    }

    /** A re-run's start: the new run, or why there is none. */
    record Rerun(String runId, String problem) {
    }

    /**
     * Starts a new run of {@code runId}'s function with its event, in which the steps completed before
     * {@code fromStep} (a step's id as written or its hashed id) keep their recorded results and are not called
     * again, and {@code fromStep} runs again, with {@code input} (a list of arguments) instead of its recorded input
     * when given. As Inngest's "rerun from step".
     *
     * @return null when there is no such run
     */
    Rerun rerun(String runId, String fromStep, JsonNode input) {
        return transaction(c -> {
            String functionId;
            String eventId;
            String event;
            String keys;
            String eventInternalId;
            try (PreparedStatement s = c.prepareStatement("select function_id, event_id, event, concurrency_keys, "
                    + "event_internal_id from run where run_id = ?")) {
                s.setString(1, runId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    functionId = rs.getString(1);
                    eventId = rs.getString(2);
                    event = rs.getString(3);
                    keys = rs.getString(4);
                    eventInternalId = rs.getString(5);
                }
            }
            Long fromSeq = null;
            String fromHashed = null;
            String fromName = null;
            try (PreparedStatement s = c.prepareStatement("select seq, hashed_id, name, display_name from run_step "
                    + "where run_id = ? and (hashed_id = ? or display_name = ?) order by seq limit 1")) {
                s.setString(1, runId);
                s.setString(2, fromStep);
                s.setString(3, fromStep);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        fromSeq = rs.getLong(1);
                        fromHashed = rs.getString(2);
                        fromName = rs.getString(4);
                    }
                }
            }
            if (fromSeq == null) {
                return new Rerun(null, "run " + runId + " has no step " + fromStep);
            }
            String newRun = Ulid.next();
            // The new run answers to the original's event, as Inngest's re-runs do.
            update(c, "insert into run (run_id, function_id, event_id, event, status, next_at, created_at, updated_at, "
                    + "concurrency_keys, rerun_of, rerun_from, event_internal_id) values (?, ?, ?, ?::jsonb, 'queued', "
                    + "now(), now(), now(), ?::jsonb, ?, ?, ?)", newRun, functionId, eventId, event, keys, runId,
                    fromHashed, eventInternalId);
            update(c, "insert into run_step (run_id, hashed_id, op, name, display_name, memo, visible_at, input) "
                    + "select ?, hashed_id, op, name, display_name, memo, now(), input from run_step where run_id = ? "
                    + "and seq < ? order by seq", newRun, runId, fromSeq);
            registerCancellations(c, newRun, flowControl(c, functionId));
            if (input != null && !input.isNull()) {
                ObjectNode memo = json.createObjectNode();
                memo.set("input", input);
                memoize(c, newRun, fromHashed, INPUT_OP, fromName, fromName, memo, Instant.now(), input);
                // The first call runs that step itself (stepId set), as the server enqueues the re-run's edge at
                // it; a discovery call would leave it to the SDK, and the official SDK with checkpointing on never
                // answers a discovery call whose state holds an input-only step.
                update(c, "update run set step_id = ? where run_id = ?", fromHashed, newRun);
            }
            return new Rerun(newRun, null);
        });
    }

    /** The read API: runs (newest first), filtered by function and status. */
    ArrayNode runs(String functionId, String status, String eventId) {
        return transaction(c -> {
            StringBuilder sql = new StringBuilder("select run_id, function_id, event_id, status, attempt, output, "
                    + "error, created_at, ended_at, request_version, rerun_of, rerun_from from run where true");
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
                    + "output, error, created_at, ended_at, request_version, rerun_of, rerun_from, event from run "
                    + "where run_id = ?")) {
                s.setString(1, runId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    run = runJson(rs);
                    run.set("event", json.readTree(rs.getString(13)));
                }
            }
            ArrayNode steps = run.putArray("steps");
            try (PreparedStatement s = c.prepareStatement("select hashed_id, op, name, display_name, memo, visible_at, "
                    + "input, checkpointed from run_step where run_id = ? order by seq")) {
                s.setString(1, runId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        ObjectNode step = steps.addObject();
                        step.put("id", rs.getString(1));
                        step.put("op", rs.getString(2));
                        step.put("name", rs.getString(3));
                        step.put("displayName", rs.getString(4));
                        JsonNode memo = json.readTree(rs.getString(5));
                        if (memo.isObject() && memo.has("error")) {
                            step.set("error", memo.get("error"));
                        } else if (memo.isObject() && memo.has("data") && !rs.getString(2).equals("WaitForEvent")) {
                            step.set("output", memo.get("data"));
                        } else {
                            // Sleeps and waits are memoized raw: null, or the event that ended the wait.
                            step.set("output", memo);
                        }
                        step.put("completedAt", rs.getTimestamp(6).toInstant().toString());
                        step.set("input", rs.getString(7) == null ? null : json.readTree(rs.getString(7)));
                        step.put("checkpointed", rs.getBoolean(8));
                    }
                }
            }
            return run;
        });
    }

    JsonNode event(String id) {
        return transaction(c -> {
            // By the executor's id (what the Event API answered); a sender's id finds its latest event.
            try (PreparedStatement s = c.prepareStatement("select payload from event where internal_id = ? or "
                    + "event_id = ? order by (internal_id = ?) desc, seq desc limit 1")) {
                s.setString(1, id);
                s.setString(2, id);
                s.setString(3, id);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? json.readTree(rs.getString(1)) : null;
                }
            }
        });
    }

    /** An event as kept: the executor's id, its name, the payload as received (with id, ts, data, user). */
    record EventRecord(String internalId, String name, JsonNode payload, Instant receivedAt) {
    }

    /** A run as the REST API describes it; {@code status} is this executor's (queued, running, waiting...). */
    record RunRecord(String runId, String functionId, String eventInternalId, String status, boolean started,
            Instant createdAt, Instant endedAt, JsonNode output, JsonNode error, String rerunOf, JsonNode event) {
    }

    /** A function as the last sync of its app described it. */
    record FunctionRecord(String id, String appId, String name, JsonNode config, Instant createdAt) {
    }

    private static final String EVENT_COLUMNS = "internal_id, name, payload, received_at";

    private EventRecord eventRecord(ResultSet rs) throws SQLException, JsonProcessingException {
        return new EventRecord(rs.getString(1), rs.getString(2), json.readTree(rs.getString(3)), rs.getTimestamp(4)
                .toInstant());
    }

    /** The event the Event API answered {@code internalId} for, or null. */
    EventRecord eventByInternalId(String internalId) {
        return transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("select " + EVENT_COLUMNS + " from event where "
                    + "internal_id = ?")) {
                s.setString(1, internalId);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? eventRecord(rs) : null;
                }
            }
        });
    }

    /**
     * Events received in {@code [after, before]}, newest first, older than {@code cursor} (an internal id) when
     * given, of one name when given; the executor's own {@code inngest/*} events only when asked for by name.
     */
    List<EventRecord> events(String name, String cursor, Instant after, Instant before, int limit) {
        return transaction(c -> {
            StringBuilder sql = new StringBuilder("select " + EVENT_COLUMNS + " from event where received_at >= ? "
                    + "and received_at <= ?");
            List<Object> args = new ArrayList<>(List.of(Timestamp.from(after), Timestamp.from(before)));
            if (cursor != null) {
                sql.append(" and internal_id < ?");
                args.add(cursor);
            }
            if (name != null) {
                sql.append(" and name = ?");
                args.add(name);
            } else {
                sql.append(" and name not like 'inngest/%'");
            }
            // ULIDs sort by time; seq breaks ties within a millisecond.
            sql.append(" order by internal_id desc, seq desc limit ?");
            args.add(limit);
            List<EventRecord> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                bind(s, args.toArray());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(eventRecord(rs));
                    }
                }
            }
            return out;
        });
    }

    private static final String RUN_RECORD_COLUMNS = "run_id, function_id, event_internal_id, status, started_at is "
            + "not null, created_at, ended_at, output, error, rerun_of, event";

    private RunRecord runRecord(ResultSet rs) throws SQLException, JsonProcessingException {
        Timestamp ended = rs.getTimestamp(7);
        return new RunRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5),
                rs.getTimestamp(6).toInstant(), ended == null ? null : ended.toInstant(), readOrNull(rs.getString(
                        8)),
                readOrNull(rs.getString(9)), rs.getString(10), json.readTree(rs.getString(11)));
    }

    private JsonNode readOrNull(String text) throws JsonProcessingException {
        return text == null ? null : json.readTree(text);
    }

    RunRecord runRecord(String runId) {
        return transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("select " + RUN_RECORD_COLUMNS + " from run where run_id "
                    + "= ?")) {
                s.setString(1, runId);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? runRecord(rs) : null;
                }
            }
        });
    }

    /** The runs an event started (and their re-runs), oldest first. */
    List<RunRecord> runsOfEvent(String internalId) {
        return transaction(c -> {
            List<RunRecord> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("select " + RUN_RECORD_COLUMNS + " from run where "
                    + "event_internal_id = ? order by created_at, run_id")) {
                s.setString(1, internalId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(runRecord(rs));
                    }
                }
            }
            return out;
        });
    }

    /** The functions of an app (by the name it syncs as); empty for an app never synced. */
    List<FunctionRecord> appFunctions(String appId) {
        return transaction(c -> {
            List<FunctionRecord> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("select id, app_id, name, config, created_at from "
                    + "function_def where app_id = ? order by created_at, id")) {
                s.setString(1, appId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(new FunctionRecord(rs.getString(1), rs.getString(2), rs.getString(3), json.readTree(
                                rs.getString(4)), rs.getTimestamp(5).toInstant()));
                    }
                }
            }
            return out;
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
        run.put("requestVersion", rs.getInt(10));
        run.put("rerunOf", rs.getString(11));
        run.put("rerunFrom", rs.getString(12));
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
