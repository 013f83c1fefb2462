package dev.flowline.devexecutor;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Inngest's REST API v1 ({@code pkg/api/apiv1}) in its shapes: answers wrapped as {@code {data, metadata}}, errors
 * as {@code {error, data, status}}, run and event ids that must be ULIDs. One deliberate difference: a run it does
 * not know is a 404 (the server answers 500 when its trace store has no such run). Also the checkpoint endpoint an
 * SDK reports steps to during a call.
 */
final class RestApi {

    /** The ids the Inngest dev server gives its single account and environment. */
    static final String ACCOUNT_ID = "00000000-0000-4000-a000-000000000000";
    static final String ENVIRONMENT_ID = "00000000-0000-4000-b000-000000000000";

    /** The server's page size for events when none is asked for, and the most it answers. */
    static final int DEFAULT_EVENTS = 20;
    static final int MAX_EVENTS = 51;

    /** Without {@code received_after}, events of the last hour. */
    static final Duration DEFAULT_EVENT_WINDOW = Duration.ofHours(1);

    /** An answer: the status and the body ({@code null}: none, as the server's cancel). */
    record Answer(int status, JsonNode body) {
    }

    private final Store store;
    private final ObjectMapper json;

    RestApi(Store store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    /** {@code GET /v1/events/{id}}: an event by the id the Event API answered. */
    Answer event(String id) {
        if (!Ulid.isValid(id)) {
            return error(400, "Invalid event ID: " + id);
        }
        Store.EventRecord event = store.eventByInternalId(upper(id));
        return event == null ? error(404, "Event not found") : data(eventJson(event));
    }

    /** {@code GET /v1/events?name=&limit=&cursor=&received_after=&received_before=}: newest first. */
    Answer events(Map<String, String> query) {
        int limit = DEFAULT_EVENTS;
        String rawLimit = query.get("limit");
        if (rawLimit != null && !rawLimit.isBlank()) {
            try {
                limit = Integer.parseInt(rawLimit);
            } catch (NumberFormatException e) {
                // The server reads an unreadable limit as none given.
                limit = 0;
            }
            limit = limit == 0 ? DEFAULT_EVENTS : Math.max(1, Math.min(limit, MAX_EVENTS));
        }
        String cursor = blankToNull(query.get("cursor"));
        if (cursor != null && !Ulid.isValid(cursor)) {
            return error(400, "Invalid cursor query parameter");
        }
        Instant now = Instant.now();
        Instant before;
        Instant after;
        try {
            before = time(query.get("received_before"), now);
            after = time(query.get("received_after"), now.minus(DEFAULT_EVENT_WINDOW));
        } catch (DateTimeParseException e) {
            return error(400, "Invalid received_after or received_before query parameter");
        }
        ArrayNode out = json.createArrayNode();
        store.events(blankToNull(query.get("name")), cursor == null ? null : upper(cursor), after, before, limit)
                .forEach(e -> out.add(eventJson(e)));
        return data(out);
    }

    /** {@code GET /v1/events/{id}/runs}: the runs the event started. */
    Answer eventRuns(String id) {
        if (!Ulid.isValid(id)) {
            return error(400, "Invalid event ID: " + id);
        }
        ArrayNode out = json.createArrayNode();
        store.runsOfEvent(upper(id)).forEach(run -> out.add(runJson(run)));
        return data(out);
    }

    /** {@code GET /v1/runs/{id}}. */
    Answer run(String id) {
        if (!Ulid.isValid(id)) {
            return error(400, "Invalid run ID: " + id);
        }
        Store.RunRecord run = store.runRecord(upper(id));
        return run == null ? error(404, "Unable to load function run: " + id) : data(runJson(run));
    }

    /**
     * {@code DELETE /v1/runs/{id}}: 200 without a body, also for a run that has already ended (the server finds no
     * state left to cancel and answers as for a cancelled one).
     */
    Answer cancel(String id) {
        if (!Ulid.isValid(id)) {
            return error(400, "Invalid run ID: " + id);
        }
        if (store.runRecord(upper(id)) == null) {
            return error(404, "Unable to load function run: " + id);
        }
        store.cancel(upper(id));
        return new Answer(200, null);
    }

    /** The ops an SDK may checkpoint: steps that ran (others, sleeps and waits among them, end its call). */
    private static final List<String> CHECKPOINTED_OPS = List.of("StepRun", "Step");

    /**
     * A checkpointed step's input, recorded for a re-run from it: {@code opts.input} as in an answer, else the
     * arguments it was called with.
     */
    private JsonNode stepInput(JsonNode op) {
        if (op.path("opts").has("input")) {
            return op.path("opts").get("input");
        }
        // step.run(id, fn, ...input): the arguments after the id and the function.
        JsonNode args = op.path("rawArgs");
        if (!args.isArray() || args.size() <= 2) {
            return null;
        }
        com.fasterxml.jackson.databind.node.ArrayNode input = json.createArrayNode();
        for (int i = 2; i < args.size(); i++) {
            input.add(args.get(i));
        }
        return input;
    }

    /**
     * {@code POST /v1/checkpoint/<run>/async}: the steps an SDK ran during a call, reported before it answers
     * (checkpointing, on by default in the official SDK v4). 200 without a body once memoized; 409 when the call no
     * longer holds the run, which the SDK treats as a stale dispatch and stops.
     */
    Answer checkpoint(String runId, JsonNode body) {
        if (!body.path("steps").isArray()) {
            return error(400, "steps is required");
        }
        List<Store.StepMemo> steps = new java.util.ArrayList<>();
        java.time.Instant now = java.time.Instant.now();
        for (JsonNode op : body.path("steps")) {
            String code = op.path("op").asText();
            if (code.equals("StepPlanned")) {
                continue;
            }
            if (!CHECKPOINTED_OPS.contains(code) || !op.path("id").isTextual()) {
                return error(400, "cannot checkpoint opcode " + code);
            }
            ObjectNode memo = json.createObjectNode();
            memo.set("data", op.has("data") ? op.get("data") : json.nullNode());
            steps.add(new Store.StepMemo(op.path("id").asText(), "StepRun", op.path("name").asText(null), op.path(
                    "displayName").asText(op.path("name").asText(null)), memo, now, stepInput(op)));
        }
        return switch (store.checkpoint(runId, Worker.leaseOf(body.path("qi_id").asText(null)), steps)) {
            case SAVED -> new Answer(200, null);
            // As the server: a run it has no state of is the caller's mistake.
            case UNKNOWN_RUN -> error(400, "no run " + runId);
            case STALE -> error(409, "the call no longer holds run " + runId);
        };
    }

    /** {@code GET /v1/apps/{app}/functions}: a bare list, not wrapped. */
    Answer appFunctions(String app) {
        ArrayNode out = json.createArrayNode();
        for (Store.FunctionRecord function : store.appFunctions(app)) {
            ObjectNode fn = out.addObject();
            fn.put("internal_id", functionUuid(function.id()));
            fn.put("env_id", ENVIRONMENT_ID);
            fn.put("app_id", appUuid(function.appId()));
            fn.put("id", function.id());
            fn.put("name", function.name());
            fn.set("config", function.config());
            fn.put("created_at", function.createdAt().toString());
            // Go's zero time: functions served by a synced app are not archived.
            fn.put("archived_at", "0001-01-01T00:00:00Z");
        }
        return new Answer(200, out);
    }

    /** The UUID the REST API gives a function (by its slug, as the server's function ids are stable). */
    static String functionUuid(String slug) {
        return UUID.nameUUIDFromBytes(("function:" + slug).getBytes(StandardCharsets.UTF_8)).toString();
    }

    static String appUuid(String app) {
        return UUID.nameUUIDFromBytes(("app:" + app).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * A run's status in the REST API's names: a run not yet called is Scheduled; queued for its next step,
     * sleeping, waiting or being called, it is Running.
     */
    static String status(Store.RunRecord run) {
        return switch (run.status()) {
            case "completed" -> "Completed";
            case "failed" -> "Failed";
            case "cancelled" -> "Cancelled";
            default -> run.started() ? "Running" : "Scheduled";
        };
    }

    private ObjectNode runJson(Store.RunRecord run) {
        ObjectNode out = json.createObjectNode();
        out.put("run_id", run.runId());
        out.put("run_started_at", run.createdAt().toString());
        out.put("function_id", functionUuid(run.functionId()));
        out.put("function_version", 1);
        out.put("environment_id", ENVIRONMENT_ID);
        out.put("event_id", run.eventInternalId());
        if (run.rerunOf() != null) {
            out.put("original_run_id", run.rerunOf());
        }
        if ("inngest/scheduled.timer".equals(run.event().path("name").asText())) {
            out.put("cron", run.event().path("data").path("cron").asText());
        }
        out.put("status", status(run));
        out.put("ended_at", run.endedAt() == null ? null : run.endedAt().toString());
        // A failed or cancelled run's output is its error, as the server records it.
        JsonNode output = run.error() != null ? run.error() : run.output();
        if (output != null) {
            out.set("output", output);
        }
        return out;
    }

    private ObjectNode eventJson(Store.EventRecord event) {
        JsonNode payload = event.payload();
        ObjectNode out = json.createObjectNode();
        out.put("internal_id", event.internalId());
        out.put("account_id", ACCOUNT_ID);
        out.put("environment_id", ENVIRONMENT_ID);
        out.put("source", "");
        out.putNull("source_id");
        out.put("received_at", event.receivedAt().toString());
        out.put("id", payload.path("id").asText(event.internalId()));
        out.put("name", event.name());
        out.set("data", payload.path("data").isObject() ? payload.get("data") : json.createObjectNode());
        if (payload.path("user").isObject() && !payload.path("user").isEmpty()) {
            out.set("user", payload.get("user"));
        }
        if (payload.path("ts").isIntegralNumber() && payload.path("ts").asLong() != 0) {
            out.put("ts", payload.path("ts").asLong());
        }
        if (payload.path("v").isTextual() && !payload.path("v").asText().isEmpty()) {
            out.put("v", payload.path("v").asText());
        }
        return out;
    }

    private Answer data(JsonNode data) {
        ObjectNode out = json.createObjectNode();
        out.set("data", data);
        out.putObject("metadata").put("fetched_at", Instant.now().toString());
        return new Answer(200, out);
    }

    private Answer error(int status, String message) {
        ObjectNode out = json.createObjectNode();
        out.put("error", message);
        out.putNull("data");
        out.put("status", status);
        return new Answer(status, out);
    }

    private static Instant time(String raw, Instant fallback) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        return java.time.OffsetDateTime.parse(raw.trim()).toInstant();
    }

    /** ULIDs are kept in upper case; the server's parser reads either. */
    private static String upper(String ulid) {
        return ulid.toUpperCase(java.util.Locale.ROOT);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
