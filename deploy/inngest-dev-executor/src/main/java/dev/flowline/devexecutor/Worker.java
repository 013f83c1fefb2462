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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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

    /**
     * How long a worker keeps calling the run it claimed while each call leaves it due at once, before it goes back to
     * the queue: saves a claim per step without letting one long run hold a worker (and a concurrency slot) for long.
     */
    static final Duration KEEP_CALLING_FOR = Duration.ofSeconds(1);

    private final Store store;
    private final ObjectMapper json;
    private final DevExecutor.Config config;
    // HTTP/1.1 as the Inngest server speaks to apps; the client's default (HTTP/2) tries an h2c upgrade.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(
            Duration.ofSeconds(5)).build();
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
                }
                long claimed = System.nanoTime();
                while (run != null && running) {
                    run = process(run, System.nanoTime() - claimed < KEEP_CALLING_FOR.toNanos());
                }
                if (run != null) {
                    // Stopping with a run still held: another executor may take it at once.
                    store.release(run);
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

    /**
     * Calls {@code run} once and applies the outcome. Answers the run to call again at once, its lease kept, when
     * {@code mayContinue} and the outcome leaves it due now with nothing to wait for (as Inngest enqueues the next step
     * at once); otherwise null, the lease released.
     */
    Store.Run process(Store.Run run, boolean mayContinue) throws InterruptedException {
        Store.Function function = store.function(run.functionId());
        if (function == null) {
            store.apply(run, failed(run, error("FunctionNotFound", "function " + run.functionId()
                    + " is not synced")));
            return null;
        }
        if (run.status().equals("waiting")) {
            store.expireWaits(run.runId());
        }
        Store.Memo memo = store.memo(run.runId());
        Store.Outcome outcome;
        try {
            outcome = run.stepId() != null && !run.planned().isEmpty()
                    ? fanOut(run, function, memo)
                    : call(run, function, memo).join();
        } catch (java.util.concurrent.CancellationException | java.util.concurrent.CompletionException e) {
            throw new IllegalStateException("run " + run.runId() + ": a call failed unexpectedly", e);
        }
        boolean again = mayContinue && outcome.status().equals("running") && outcome.waits().isEmpty() && outcome
                .nextAt() != null && !outcome.nextAt().isAfter(Instant.now());
        if (!store.apply(run, outcome, again ? config.leaseSeconds() : 0)) {
            LOG.warning("run " + run.runId() + ": the outcome of a call was dropped (lease lost or run cancelled)");
            return null;
        }
        return again ? run.after(outcome) : null;
    }

    /**
     * Parallel steps: the current step and every due planned step beside it are called at once (each by its id, each
     * at its own attempt), and their outcomes joined into one, as Inngest runs each planned step as its own queue item.
     * Steps left out of this round (not due, or beyond the function's concurrency) stay planned as they were.
     */
    private Store.Outcome fanOut(Store.Run run, Store.Function function, Store.Memo memo) {
        Instant now = Instant.now();
        List<String> called = new ArrayList<>();
        List<Integer> attempts = new ArrayList<>();
        Map<String, Store.PlannedItem> notDue = new LinkedHashMap<>();
        called.add(run.stepId());
        attempts.add(run.attempt());
        for (String id : run.planned()) {
            Store.PlannedItem item = run.item(id);
            // A concurrency limit counts steps: a run never calls more of its steps at once than its tightest limit.
            if (item.dueAt().isAfter(now) || called.size() >= function.stepSlots()) {
                notDue.put(id, item);
            } else {
                called.add(id);
                attempts.add(item.attempt());
            }
        }
        List<CompletableFuture<Store.Outcome>> calls = new ArrayList<>();
        for (int i = 0; i < called.size(); i++) {
            calls.add(call(run.callingStep(called.get(i), attempts.get(i)), function, memo));
        }
        List<Store.Outcome> outcomes = new ArrayList<>();
        calls.forEach(call -> outcomes.add(call.join()));
        return join(run, called, attempts, outcomes, notDue, now);
    }

    /**
     * Joins the outcomes of concurrent calls of planned steps: every memo is kept; a run that ended in one call ended;
     * a step to retry stays planned at its next attempt and time; steps newly planned join the ones not yet due.
     */
    static Store.Outcome join(Store.Run run, List<String> called, List<Integer> attempts, List<Store.Outcome> outcomes,
            Map<String, Store.PlannedItem> notDue, Instant now) {
        List<Store.StepMemo> memos = new ArrayList<>();
        outcomes.forEach(o -> memos.addAll(o.memos()));
        for (Store.Outcome o : outcomes) {
            if (o.ended()) {
                return new Store.Outcome(memos, o.status(), null, List.of(), o.disableImmediate(), o.attempt(), null,
                        o.output(), o.error(), List.of(), run.requestVersion(), Map.of());
            }
        }
        Map<String, Store.PlannedItem> pending = new LinkedHashMap<>(notDue);
        List<Store.NewWait> waits = new ArrayList<>();
        Instant rediscoverAt = null;
        int newlyPlanned = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            Store.Outcome o = outcomes.get(i);
            String id = called.get(i);
            waits.addAll(o.waits());
            if (id.equals(o.stepId()) && o.attempt() > attempts.get(i)) {
                pending.put(id, new Store.PlannedItem(o.attempt(), o.nextAt() == null ? now : o.nextAt()));
                continue;
            }
            List<String> planned = new ArrayList<>();
            if (o.stepId() != null) {
                planned.add(o.stepId());
            }
            planned.addAll(o.planned());
            for (String p : planned) {
                if (pending.putIfAbsent(p, new Store.PlannedItem(0, now)) == null) {
                    newlyPlanned++;
                }
            }
            if (o.nextAt() != null && (rediscoverAt == null || o.nextAt().isBefore(rediscoverAt))) {
                rediscoverAt = o.nextAt();
            }
        }
        if (pending.isEmpty()) {
            if (!waits.isEmpty()) {
                Instant expires = waits.stream().map(Store.NewWait::expiresAt).min(Instant::compareTo).orElse(now);
                return new Store.Outcome(memos, "waiting", null, List.of(), run.disableImmediate(), 0, expires, null,
                        null, waits, run.requestVersion(), Map.of());
            }
            return new Store.Outcome(memos, "running", null, List.of(), run.disableImmediate(), 0, rediscoverAt == null
                    ? now
                    : rediscoverAt, null, null, List.of(), run.requestVersion(), Map.of());
        }
        boolean disableImmediate = run.disableImmediate();
        if (newlyPlanned > 1) {
            disableImmediate = true;
        } else if (newlyPlanned == 1 && pending.size() == 1 && waits.isEmpty() && run.requestVersion() >= 2) {
            disableImmediate = false;
        }
        // The earliest due planned step becomes the current one; the others stay planned with their own state.
        Map.Entry<String, Store.PlannedItem> first = pending.entrySet().stream().min((a, b) -> a.getValue().dueAt()
                .compareTo(b.getValue().dueAt())).orElseThrow();
        Map<String, Store.PlannedItem> others = new LinkedHashMap<>(pending);
        others.remove(first.getKey());
        Instant due = first.getValue().dueAt().isBefore(now) ? now : first.getValue().dueAt();
        return new Store.Outcome(memos, "running", first.getKey(), new ArrayList<>(others.keySet()), disableImmediate,
                first.getValue().attempt(), due, null, null, waits, run.requestVersion(), others);
    }

    /** Calls the app for {@code run}'s current step and interprets its answer. */
    private CompletableFuture<Store.Outcome> call(Store.Run run, Store.Function function, Store.Memo memo) {
        ObjectNode body = json.createObjectNode();
        body.set("event", run.event());
        body.putArray("events").add(run.event());
        body.set("steps", memo.steps());
        // The request version: -1 ("the SDK decides") until the SDK answered one, then that, as the server does.
        body.put("version", run.requestVersion());
        body.put("use_api", false);
        ObjectNode ctx = body.putObject("ctx");
        ctx.put("fn_id", function.id());
        ctx.put("run_id", run.runId());
        ctx.put("env", "");
        ctx.put("step_id", "step");
        ctx.put("attempt", run.attempt());
        ctx.put("max_attempts", function.maxAttempts());
        // Opaque to the SDK, which sends it back with a checkpoint: the lease in it fences a call that lost the run.
        ctx.put("qi_id", queueItemId(run));
        ctx.put("disable_immediate_execution", run.disableImmediate());
        ctx.put("use_api", false);
        ObjectNode stack = ctx.putObject("stack");
        memo.stack().forEach(stack.putArray("stack")::add);
        stack.put("current", memo.stack().size());

        String url = withStepId(function.url(), run.stepId() == null ? "step" : run.stepId());
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(config.callTimeout())
                    .header("Content-Type", "application/json").header("X-Inngest-Server-Kind", "dev")
                    .header("X-Inngest-Req-Version", String.valueOf(run.requestVersion()))
                    .header("X-Run-ID", run.runId())
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure
                        .getCause() != null ? failure.getCause() : failure;
                return retryOrFail(run, function, error("AppUnreachable", String.valueOf(cause)), null);
            }
            Store.Outcome outcome;
            try {
                outcome = outcome(run, function, response);
            } catch (IllegalArgumentException e) {
                // An op the app sent cannot be used (a malformed duration or time): the run fails saying so,
                // instead of the call being made again at every lease.
                outcome = failed(run, error("InvalidOp", e.getMessage()));
            }
            return run.requestVersion() == -1 ? outcome.withRequestVersion(answeredVersion(response)) : outcome;
        });
    }

    /** The request version the SDK answered; -1 (still undecided) when it said none. */
    private static int answeredVersion(HttpResponse<String> response) {
        try {
            return response.headers().firstValue("X-Inngest-Req-Version").map(String::trim).map(Integer::parseInt)
                    .orElse(-1);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private Store.Outcome outcome(Store.Run run, Store.Function function, HttpResponse<String> response) {
        JsonNode answer;
        try {
            answer = response.body().isBlank() ? json.nullNode() : json.readTree(response.body());
        } catch (IOException e) {
            answer = json.getNodeFactory().textNode(response.body());
        }
        // As the server: the no-retry header decides; without it an error is retried.
        boolean noRetry = response.headers().firstValue("X-Inngest-No-Retry").map("true"::equals).orElse(false);
        Instant retryAt = retryAfter(response);
        int status = response.statusCode();
        if (status == 200) {
            return new Store.Outcome(List.of(), "completed", null, List.of(), run.disableImmediate(), 0, null, answer,
                    null, null, run.requestVersion());
        }
        if (status == 206) {
            return ops(run, function, answer.isArray() ? answer : json.createArrayNode().add(answer), noRetry,
                    retryAt);
        }
        JsonNode error = answer.isObject() ? answer : error("Error", "the app answered " + status + ": " + answer);
        if (noRetry) {
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
        boolean retrying = false;
        int attempt = 0;
        Store.NewWait wait = null;
        for (JsonNode op : ops) {
            String id = op.path("id").asText();
            String code = op.path("op").asText();
            String name = op.path("name").asText(null);
            String display = op.path("displayName").asText(name);
            switch (code) {
                // A step's input (opts.input) is recorded, so a re-run from it can replace it.
                case "StepRun", "Step" -> memos.add(new Store.StepMemo(id, code, name, display, data(op.get("data")),
                        now, op.path("opts").get("input")));
                case "StepFailed" -> memos.add(new Store.StepMemo(id, code, name, display, errorMemo(op.path(
                        "error")), now, op.path("opts").get("input")));
                case "StepError" -> {
                    if (noRetry || run.attempt() + 1 >= function.maxAttempts()) {
                        memos.add(memo(id, code, name, display, errorMemo(op.path("error")), now));
                    } else {
                        // The server retries the same queue item: a planned step by its id, a step run at once
                        // by stepId=step (the SDK runs it again when it reaches it).
                        retrying = true;
                        attempt = run.attempt() + 1;
                        nextAt = retryAt != null ? retryAt : now.plus(backoff(attempt));
                    }
                }
                case "StepPlanned" -> newlyPlanned.add(id);
                case "Sleep" -> {
                    Instant wake = wake(op.path("opts").path("duration").asText(name), now);
                    // A sleep is memoized as null, as on Inngest.
                    memos.add(memo(id, code, name, display, json.nullNode(), wake));
                    nextAt = wake;
                }
                case "WaitForEvent" -> {
                    String event = op.path("opts").path("event").asText(name);
                    String expression = op.path("opts").path("if").asText(null);
                    try {
                        Expressions.check(expression);
                    } catch (IllegalArgumentException e) {
                        return failed(run, error("UnsupportedExpression", e.getMessage()));
                    }
                    Instant expires = now.plus(TimeStrings.parse(op.path("opts").path("timeout").asText("1h")));
                    wait = new Store.NewWait(id, event, expression, expires, Store.WAIT_FOR_EVENT, null, null);
                    status = "waiting";
                    nextAt = expires;
                }
                case "InvokeFunction" -> {
                    // Starts the invoked function's run and waits for its end (inngest/function.finished).
                    JsonNode opts = op.path("opts");
                    String target = opts.path("function_id").asText();
                    if (store.function(target) == null) {
                        memos.add(memo(id, code, name, display, errorMemo(error("InvokeFunctionNotFound",
                                "function " + target + " is not synced")), now));
                        break;
                    }
                    Instant expires = now.plus(opts.path("timeout").isTextual()
                            ? TimeStrings.parse(opts.path("timeout").asText())
                            : Duration.ofDays(365));
                    String invokedRun = Ulid.next();
                    wait = new Store.NewWait(id, Store.FUNCTION_FINISHED, "async.data.run_id == '" + invokedRun + "'",
                            expires, Store.WAIT_FOR_INVOKE, target, opts.path("payload").path("data"));
                    wait = wait.withInvokedRun(invokedRun);
                    status = "waiting";
                    nextAt = expires;
                }
                case "RunComplete" -> {
                    return new Store.Outcome(memos, "completed", null, List.of(), disableImmediate, 0, null,
                            op.get("data"), null, null, run.requestVersion());
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
            // Parallel steps: while they last, every step is planned before it runs.
            disableImmediate = true;
        } else if (newlyPlanned.size() == 1 && planned.isEmpty() && wait == null && run.requestVersion() >= 2) {
            // Parallelism has ended (one step planned on its own): steps may run at once again, as the server does
            // for request version 2.
            disableImmediate = false;
        }
        planned.addAll(newlyPlanned);
        String stepId = retrying ? run.stepId() : null;
        if (!retrying && !planned.isEmpty()) {
            // A planned step never waits behind a wait reported beside it: it runs while the wait is pending.
            stepId = planned.remove(0);
            if (wait != null) {
                status = "running";
                nextAt = now;
            }
        }
        return new Store.Outcome(memos, status, stepId, planned, disableImmediate, retrying ? attempt : 0,
                nextAt, null, null, wait, run.requestVersion());
    }

    private Store.Outcome retryOrFail(Store.Run run, Store.Function function, JsonNode error, Instant retryAt) {
        int attempt = run.attempt() + 1;
        if (attempt >= function.maxAttempts()) {
            return failed(run, error);
        }
        Instant next = retryAt != null ? retryAt : Instant.now().plus(backoff(attempt));
        return new Store.Outcome(List.of(), run.status().equals("queued") ? "queued" : "running", run.stepId(),
                run.planned(), run.disableImmediate(), attempt, next, null, error, null, run.requestVersion());
    }

    private Store.Outcome failed(Store.Run run, JsonNode error) {
        return new Store.Outcome(List.of(), "failed", null, List.of(), run.disableImmediate(), run.attempt(), null,
                null, error, null, run.requestVersion());
    }

    /** Exponential, from the configured base, at most a minute. */
    private Duration backoff(int attempt) {
        long millis = config.backoffBase().toMillis() << Math.min(attempt - 1, 16);
        return Duration.ofMillis(Math.min(millis, 60_000));
    }

    /** The server's bounds on Retry-After: at least a second, at most a day away. */
    static final Duration MIN_RETRY_AFTER = Duration.ofSeconds(1);
    static final Duration MAX_RETRY_AFTER = Duration.ofHours(24);

    static Instant clampRetryAt(Instant at, Instant now) {
        Instant min = now.plus(MIN_RETRY_AFTER);
        Instant max = now.plus(MAX_RETRY_AFTER);
        return at.isBefore(min) ? min : at.isAfter(max) ? max : at;
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
        }).map(at -> clampRetryAt(at, Instant.now())).orElse(null);
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
        return new Store.StepMemo(id, op, name, display, memo, at, null);
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

    /** The queue item a call works on: run, step, attempt and the lease the call holds. */
    static String queueItemId(Store.Run run) {
        return run.runId() + ":" + (run.stepId() == null ? "step" : run.stepId()) + ":" + run.attempt() + ":"
                + run.lease();
    }

    /** The lease in a queue item id this executor made, or null. */
    static java.util.UUID leaseOf(String queueItemId) {
        if (queueItemId == null || queueItemId.lastIndexOf(':') < 0) {
            return null;
        }
        try {
            return java.util.UUID.fromString(queueItemId.substring(queueItemId.lastIndexOf(':') + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
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
