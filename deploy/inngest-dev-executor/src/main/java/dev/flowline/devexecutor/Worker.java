package dev.flowline.devexecutor;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.flowline.inngest.protocol.TimeStrings;

/**
 * Drives runs: claims a due run, calls the app's serve URL with the run's memoized steps, and applies what the app
 * answered (a result, step ops, or an error) in one transaction. A run is leased while it is called, so a killed
 * executor leaves nothing half-applied: the call is simply made again, and memoized steps are not run again.
 */
final class Worker implements Runnable {

    private static final Logger LOG = Logger.getLogger(Worker.class.getName());

    private final Store store;
    private final ObjectMapper json;
    private final DevExecutor.Config config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile boolean running = true;

    Worker(Store store, ObjectMapper json, DevExecutor.Config config) {
        this.store = store;
        this.json = json;
        this.config = config;
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        while (running) {
            try {
                Store.Run run = store.claim(config.leaseSeconds());
                if (run == null) {
                    Thread.sleep(config.pollMillis());
                } else {
                    process(run);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "worker round failed", e);
                sleepQuietly();
            }
        }
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(config.pollMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void process(Store.Run run) throws InterruptedException {
        Store.Function function = store.function(run.functionId());
        if (function == null) {
            store.apply(run.runId(), failed(run, error("FunctionNotFound", "function " + run.functionId()
                    + " is not synced")));
            return;
        }
        if (run.status().equals("waiting")) {
            store.expireWaits(run.runId());
        }
        Store.Memo memo = store.memo(run.runId());
        ObjectNode body = json.createObjectNode();
        body.set("event", run.event());
        body.putArray("events").add(run.event());
        body.set("steps", memo.steps());
        ObjectNode ctx = body.putObject("ctx");
        ctx.put("run_id", run.runId());
        ctx.put("attempt", run.attempt());
        ctx.put("disable_immediate_execution", run.disableImmediate());
        ctx.put("use_api", false);
        ctx.put("max_attempts", function.maxAttempts());
        ObjectNode stack = ctx.putObject("stack");
        memo.stack().forEach(stack.putArray("stack")::add);
        stack.put("current", memo.stack().size());

        String url = withStepId(function.url(), run.stepId() == null ? "step" : run.stepId());
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(config.callTimeout())
                    .header("Content-Type", "application/json").header("X-Inngest-Server-Kind", "dev")
                    .header("X-Inngest-Req-Version", "1")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            store.apply(run.runId(), retryOrFail(run, function, error("AppUnreachable", String.valueOf(e)), null));
            return;
        }
        store.apply(run.runId(), outcome(run, function, response));
    }

    private Store.Outcome outcome(Store.Run run, Store.Function function, HttpResponse<String> response) {
        JsonNode answer;
        try {
            answer = response.body().isBlank() ? json.nullNode() : json.readTree(response.body());
        } catch (IOException e) {
            answer = json.getNodeFactory().textNode(response.body());
        }
        boolean noRetry = response.headers().firstValue("X-Inngest-No-Retry").map("true"::equals).orElse(false);
        Instant retryAt = retryAfter(response);
        int status = response.statusCode();
        if (status == 200) {
            return new Store.Outcome(List.of(), "completed", null, List.of(), run.disableImmediate(), 0, null, answer,
                    null, null);
        }
        if (status == 206) {
            return ops(run, function, answer.isArray() ? answer : json.createArrayNode().add(answer), noRetry,
                    retryAt);
        }
        JsonNode error = answer.isObject() ? answer : error("Error", "the app answered " + status + ": " + answer);
        if (noRetry || status == 400) {
            return failed(run, error);
        }
        return retryOrFail(run, function, error, retryAt);
    }

    private Store.Outcome ops(Store.Run run, Store.Function function, JsonNode ops, boolean noRetry,
            Instant retryAt) {
        List<Store.StepMemo> memos = new ArrayList<>();
        List<String> planned = new ArrayList<>(run.planned());
        boolean disableImmediate = run.disableImmediate();
        List<String> newlyPlanned = new ArrayList<>();
        Instant now = Instant.now();
        Instant nextAt = now;
        String status = "running";
        String retryStep = null;
        int attempt = 0;
        Store.NewWait wait = null;
        for (JsonNode op : ops) {
            String id = op.path("id").asText();
            String code = op.path("op").asText();
            String name = op.path("name").asText(null);
            String display = op.path("displayName").asText(name);
            switch (code) {
                case "StepRun", "Step" -> memos.add(memo(id, code, name, display, data(op.get("data")), now));
                case "StepFailed" -> memos.add(memo(id, code, name, display, errorMemo(op.path("error")), now));
                case "StepError" -> {
                    if (noRetry || run.attempt() + 1 >= function.maxAttempts()) {
                        memos.add(memo(id, code, name, display, errorMemo(op.path("error")), now));
                    } else {
                        retryStep = id;
                        attempt = run.attempt() + 1;
                        nextAt = retryAt != null ? retryAt : now.plus(backoff(attempt));
                    }
                }
                case "StepPlanned" -> newlyPlanned.add(id);
                case "Sleep" -> {
                    Instant wake = wake(op.path("opts").path("duration").asText(name), now);
                    memos.add(memo(id, code, name, display, data(json.nullNode()), wake));
                    nextAt = wake;
                }
                case "WaitForEvent" -> {
                    String event = op.path("opts").path("event").asText(name);
                    String expression = op.path("opts").path("if").asText(null);
                    try {
                        WaitExpressions.check(expression);
                    } catch (IllegalArgumentException e) {
                        return failed(run, error("UnsupportedExpression", e.getMessage()));
                    }
                    Instant expires = now.plus(TimeStrings.parse(op.path("opts").path("timeout").asText("1h")));
                    wait = new Store.NewWait(id, event, expression, expires);
                    status = "waiting";
                    nextAt = expires;
                }
                case "RunComplete" -> {
                    return new Store.Outcome(memos, "completed", null, List.of(), disableImmediate, 0, null,
                            op.get("data"), null, null);
                }
                case "StepNotFound" -> {
                    return retryOrFail(run, function, error("StepNotFound", "step " + id + " was not found"),
                            retryAt);
                }
                default -> {
                    return failed(run, error("UnsupportedOp", "the dev executor does not handle op " + code));
                }
            }
        }
        if (newlyPlanned.size() > 1) {
            // Parallel steps: from now on every step is planned before it runs.
            disableImmediate = true;
        }
        planned.addAll(newlyPlanned);
        String stepId = retryStep;
        if (stepId == null && !planned.isEmpty() && wait == null) {
            stepId = planned.remove(0);
        }
        return new Store.Outcome(memos, status, stepId, planned, disableImmediate, retryStep == null ? 0 : attempt,
                nextAt, null, null, wait);
    }

    private Store.Outcome retryOrFail(Store.Run run, Store.Function function, JsonNode error, Instant retryAt) {
        int attempt = run.attempt() + 1;
        if (attempt >= function.maxAttempts()) {
            return failed(run, error);
        }
        Instant next = retryAt != null ? retryAt : Instant.now().plus(backoff(attempt));
        return new Store.Outcome(List.of(), run.status().equals("queued") ? "queued" : "running", run.stepId(),
                run.planned(), run.disableImmediate(), attempt, next, null, error, null);
    }

    private Store.Outcome failed(Store.Run run, JsonNode error) {
        return new Store.Outcome(List.of(), "failed", null, List.of(), run.disableImmediate(), run.attempt(), null,
                null, error, null);
    }

    /** Exponential, from the configured base, at most a minute. */
    private Duration backoff(int attempt) {
        long millis = config.backoffBase().toMillis() << Math.min(attempt - 1, 16);
        return Duration.ofMillis(Math.min(millis, 60_000));
    }

    private static Instant retryAfter(HttpResponse<String> response) {
        return response.headers().firstValue("Retry-After").map(value -> {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                try {
                    return Instant.now().plusSeconds(Long.parseLong(value.trim()));
                } catch (NumberFormatException ignored) {
                    return null;
                }
            }
        }).orElse(null);
    }

    private static Instant wake(String duration, Instant now) {
        try {
            return Instant.parse(duration);
        } catch (DateTimeParseException e) {
            return now.plus(TimeStrings.parse(duration));
        }
    }

    private static Store.StepMemo memo(String id, String op, String name, String display, JsonNode memo,
            Instant at) {
        return new Store.StepMemo(id, op, name, display, memo, at);
    }

    private JsonNode data(JsonNode value) {
        ObjectNode memo = json.createObjectNode();
        memo.set("data", value == null ? json.nullNode() : value);
        return memo;
    }

    private JsonNode errorMemo(JsonNode error) {
        ObjectNode memo = json.createObjectNode();
        memo.set("error", error);
        return memo;
    }

    private ObjectNode error(String name, String message) {
        ObjectNode error = json.createObjectNode();
        error.put("name", name);
        error.put("message", message);
        return error;
    }

    static String withStepId(String url, String stepId) {
        URI uri = URI.create(url);
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        StringBuilder kept = new StringBuilder();
        for (String part : query.split("&")) {
            if (!part.isEmpty() && !part.startsWith("stepId=")) {
                kept.append(kept.length() == 0 ? "" : "&").append(part);
            }
        }
        kept.append(kept.length() == 0 ? "" : "&").append("stepId=").append(stepId);
        String base = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        return base + "?" + kept;
    }
}
