package dev.flowline.bridge.inngest;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.flowline.inngest.protocol.StepIds;

/**
 * One call request of one function: runs the code with the memoized steps until it returns, fails, or reaches a step
 * the server has to do something about, and builds the protocol's answer. A new {@code run} step executes at once
 * when the server allows it, otherwise it is reported as planned and executed when the server calls for it by
 * {@code stepId}; {@link #parallel} reports several steps as planned in one answer.
 *
 * <p>
 * With a {@link CheckpointPolicy} that allows it, a step that ran does not end the call: it is checkpointed to
 * Inngest and the code goes on to the next step in the same call, as the official SDKs do. Steps not checkpointed yet
 * travel with the call's answer, so whatever ends the call (a wait, a retry, the end of the code) reports them too.
 */
public final class Execution {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(Execution.class);

    public static final String SDK = "flowline/inngest-bridge:v0.1.0";
    /** The request version this SDK answers with. */
    public static final String REQUEST_VERSION = "2";

    private final InngestFunction function;
    private final CallRequest request;
    private final String requestedStep;
    private final ObjectMapper json;
    private final EventSender sender;
    private final StepIds ids = new StepIds();
    private final Checkpointer checkpointer;
    private final CheckpointPolicy policy;
    private final long startedAt = System.nanoTime();
    /** Steps this call ran in process and has not checkpointed: the next checkpoint or the answer carries them. */
    private final List<ObjectNode> unreported = new ArrayList<>();
    /** Whether a step that ran lets the call go on; off for good once a checkpoint failed. */
    private boolean checkpointing;

    /**
     * @param requestedStep the {@code stepId} query parameter: a hashed step id to execute, or {@code step}/null
     */
    public Execution(InngestFunction function, CallRequest request, String requestedStep, ObjectMapper json,
            EventSender sender) {
        this(function, request, requestedStep, json, sender, null, CheckpointPolicy.OFF);
    }

    /**
     * @param checkpointer where steps that ran are reported during the call; null: every step ends the call
     */
    public Execution(InngestFunction function, CallRequest request, String requestedStep, ObjectMapper json,
            EventSender sender, Checkpointer checkpointer, CheckpointPolicy policy) {
        this.function = function;
        this.request = request;
        this.requestedStep = requestedStep == null || requestedStep.equals("step") ? null : requestedStep;
        this.json = json;
        this.sender = sender;
        this.checkpointer = checkpointer;
        this.policy = policy;
        // As the official SDKs: a call for one step (parallel steps) or one the server wants planned, and a server
        // that sent no queue item to fence the checkpoint with, get one step per call.
        this.checkpointing = policy.enabled() && checkpointer != null && this.requestedStep == null && !request
                .disableImmediateExecution() && request.queueItemId() != null && !request.runId().isEmpty();
    }

    ObjectMapper json() {
        return json;
    }

    EventSender sender() {
        return sender;
    }

    /** Ends the call request from inside the function's code; an Error so that {@code catch (Exception)} misses it. */
    private static final class Interrupt extends Error {
        final transient CallResult result;

        Interrupt(CallResult result) {
            super(null, null, false, false);
            this.result = result;
        }
    }

    public CallResult execute() {
        CallResult result = run();
        if (unreported.isEmpty()) {
            return result;
        }
        if (result.status() == 206 && result.body().isArray()) {
            // The steps that ran first, then what ended the call: the server memoizes them in that order.
            ArrayNode ops = json.createArrayNode();
            unreported.forEach(ops::add);
            result.body().forEach(ops::add);
            return new CallResult(206, result.headers(), ops);
        }
        // The run's result or failure: its steps are checkpointed first, so the server has them when it ends.
        CallResult instead = checkpointUnreported();
        return instead != null ? instead : result;
    }

    private CallResult run() {
        FunctionContext context = new FunctionContext(request.event(), request.events(), request.runId(),
                request.attempt(), new Step(this));
        try {
            Object result = function.handler().handle(context);
            if (requestedStep != null) {
                // The step the server asked for was not reached: the code changed, or is not deterministic.
                return stepNotFound();
            }
            return new CallResult(200, responseHeaders(null), result == null
                    ? NullNode.getInstance()
                    : json.valueToTree(result));
        } catch (Interrupt interrupt) {
            return interrupt.result;
        } catch (StepError e) {
            // A step failed for good and the code did not handle it: the run fails with the step's own error.
            return new CallResult(400, responseHeaders(false), e.error().deepCopy());
        } catch (Exception e) {
            boolean retriable = retriable(e);
            Map<String, String> headers = responseHeaders(retriable);
            if (e instanceof RetryAfterException retryAfter && retriable) {
                headers.put("Retry-After", retryAfter.retryAt().toString());
            }
            return new CallResult(retriable ? 500 : 400, headers, error(e));
        }
    }

    /**
     * The memoized result of the step {@code hashed}, unwrapped; null when the step has not completed. The server
     * memoizes a run step as {@code {"data": …}} or {@code {"error": …}}, a sleep and a timed-out wait as raw
     * {@code null}, and a matched wait as the raw event.
     */
    private JsonNode memoized(String hashed) {
        if (!request.steps().containsKey(hashed) || replacementInput(hashed) != null) {
            return null;
        }
        JsonNode memo = request.steps().get(hashed);
        if (memo == null || memo.isNull()) {
            return NullNode.getInstance();
        }
        if (memo.isObject() && memo.has("error") && (memo.size() == 1 || memo.path("type").asText().equals(
                "error"))) {
            throw new StepError(hashed, memo.get("error"));
        }
        if (memo.isObject() && memo.has("data") && (memo.size() == 1 || memo.path("type").asText().equals(
                "data"))) {
            return memo.get("data");
        }
        return memo;
    }

    /**
     * The input a re-run gives a step ({@code {"input": [...]}} in its memo: run the step with it, it is not a
     * result), or null.
     */
    private JsonNode replacementInput(String hashed) {
        JsonNode memo = request.steps().get(hashed);
        if (memo != null && memo.isObject() && memo.has("input") && (memo.size() == 1 || memo.path("type").asText()
                .equals("input"))) {
            return memo.get("input");
        }
        return null;
    }

    JsonNode runStep(String id, String name, Callable<JsonNode> body) {
        return runStep(id, name, null, input -> body.call());
    }

    /** A body that takes the step's input: the one given, or the one a re-run replaced it with. */
    @FunctionalInterface
    interface StepBody {
        JsonNode call(JsonNode input) throws Exception;
    }

    /**
     * @param input the step's input, recorded with the step (so a re-run from this step can replace it); null for none
     */
    JsonNode runStep(String id, String name, JsonNode input, StepBody body) {
        return runHashed(ids.next(id), id, name, input, body);
    }

    private JsonNode runHashed(String hashed, String id, String name, JsonNode input, StepBody body) {
        JsonNode memo = memoized(hashed);
        if (memo != null) {
            return memo;
        }
        JsonNode replaced = replacementInput(hashed);
        JsonNode effective = replaced != null && replaced.isArray() && replaced.size() > 0 ? replaced.get(0) : input;
        ObjectNode op = op(hashed, id, name == null ? id : name);
        if (name != null || effective != null) {
            ObjectNode opts = op.putObject("opts");
            opts.put("type", name == null ? "step" : "step." + name);
            if (effective != null) {
                opts.putArray("input").add(effective);
            }
        }
        if (requestedStep != null && !requestedStep.equals(hashed)) {
            throw new Interrupt(stepNotFound());
        }
        if (requestedStep == null && request.disableImmediateExecution()) {
            op.put("op", "StepPlanned");
            throw new Interrupt(reported(op));
        }
        boolean goOn = checkpointing && !pastMaxRuntime();
        try {
            JsonNode data = body.call(effective);
            op.put("op", "StepRun");
            op.set("data", data == null ? NullNode.getInstance() : data);
            if (!goOn) {
                throw new Interrupt(reported(op));
            }
            // What the code goes on with is what a later call reads from the memo: the data as JSON carries it.
            JsonNode asRead = json.readTree(json.writeValueAsBytes(op.get("data")));
            op.set("data", asRead);
            unreported.add(op);
            if (unreported.size() >= policy.bufferedSteps()) {
                CallResult instead = checkpointUnreported();
                if (instead != null) {
                    throw new Interrupt(instead);
                }
            }
            return asRead;
        } catch (Interrupt interrupt) {
            throw interrupt;
        } catch (Exception e) {
            boolean retriable = retriable(e);
            if (!(e instanceof RetryAfterException)) {
                // A step that throws: the code's own failure (a RetryAfterException is a planned retry).
                LOG.warnf(e, "step %s of %s failed on attempt %d (%s)", id, function.id(), request.attempt(), retriable
                        ? "will retry"
                        : "for good");
            }
            op.put("op", retriable ? "StepError" : "StepFailed");
            op.set("error", error(e));
            Map<String, String> headers = responseHeaders(retriable);
            if (e instanceof RetryAfterException retryAfter && retriable) {
                headers.put("Retry-After", retryAfter.retryAt().toString());
            }
            throw new Interrupt(new CallResult(206, headers, json.createArrayNode().add(op)));
        }
    }

    /** The call has run as long as the policy lets it run steps in process. */
    private boolean pastMaxRuntime() {
        return !policy.maxRuntime().isZero() && System.nanoTime() - startedAt >= policy.maxRuntime().toNanos();
    }

    /**
     * Checkpoints the steps not reported yet; answers null when Inngest took them, else what the call answers instead:
     * on a stale dispatch an end without a retry (another call holds the run, and answers for it), on any other
     * failure the steps themselves, which the server then memoizes from the answer.
     */
    private CallResult checkpointUnreported() {
        if (unreported.isEmpty()) {
            return null;
        }
        ArrayNode steps = json.createArrayNode();
        unreported.forEach(steps::add);
        try {
            checkpointer.checkpoint(new Checkpointer.Checkpoint(request.runId(), request.functionId(), request
                    .queueItemId(), steps));
            unreported.clear();
            return null;
        } catch (Checkpointer.StaleDispatch e) {
            LOG.infof("run %s of %s is held by another call (%s): this call stops", request.runId(), function.id(), e
                    .getMessage());
            unreported.clear();
            return new CallResult(400, responseHeaders(false), error("StaleDispatch", e.getMessage(), null));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warnf("could not checkpoint %d step(s) of run %s (%s): answering them instead", steps.size(), request
                    .runId(), e.toString());
            checkpointing = false;
            unreported.clear();
            return new CallResult(206, responseHeaders(null), steps);
        }
    }

    /**
     * Steps that run in parallel: each one memoized answers its result; the others are reported together as
     * {@code StepPlanned} (the server then calls each by {@code stepId}, and this call runs the one asked for), so
     * the code continues only once all of them completed.
     */
    Map<String, JsonNode> parallel(Map<String, Callable<JsonNode>> bodies) {
        Map<String, JsonNode> results = new LinkedHashMap<>();
        List<ObjectNode> planned = new ArrayList<>();
        StepError failed = null;
        for (Map.Entry<String, Callable<JsonNode>> entry : bodies.entrySet()) {
            String hashed = ids.next(entry.getKey());
            JsonNode memo;
            try {
                memo = memoized(hashed);
            } catch (StepError e) {
                // Thrown once the others had their turn: the step the server asked for must still run.
                failed = failed == null ? e : failed;
                continue;
            }
            if (memo != null) {
                results.put(entry.getKey(), memo);
            } else if (hashed.equals(requestedStep)) {
                Callable<JsonNode> body = entry.getValue();
                runHashed(hashed, entry.getKey(), null, null, input -> body.call());
            } else {
                ObjectNode op = op(hashed, entry.getKey(), entry.getKey());
                op.put("op", "StepPlanned");
                planned.add(op);
            }
        }
        if (!planned.isEmpty()) {
            if (requestedStep != null) {
                // The server asked for a step that is neither memoized nor one of these.
                throw new Interrupt(stepNotFound());
            }
            ArrayNode ops = json.createArrayNode();
            planned.forEach(ops::add);
            throw new Interrupt(new CallResult(206, responseHeaders(null), ops));
        }
        if (failed != null) {
            throw failed;
        }
        return results;
    }

    /** A step the server completes (sleep, wait): reported, or answered from memo. */
    JsonNode asyncStep(String id, String opCode, String name, Consumer<ObjectNode> opts) {
        String hashed = ids.next(id);
        JsonNode memo = memoized(hashed);
        if (memo != null) {
            return memo;
        }
        if (requestedStep != null) {
            throw new Interrupt(stepNotFound());
        }
        ObjectNode op = op(hashed, id, name);
        op.put("op", opCode);
        opts.accept(op.putObject("opts"));
        throw new Interrupt(reported(op));
    }

    private ObjectNode op(String hashed, String id, String name) {
        ObjectNode op = json.createObjectNode();
        op.put("id", hashed);
        op.put("name", name);
        op.put("displayName", id);
        return op;
    }

    /** 206 with the one op this call request found. */
    private CallResult reported(ObjectNode op) {
        return new CallResult(206, responseHeaders(null), json.createArrayNode().add(op));
    }

    private CallResult stepNotFound() {
        ObjectNode body = json.createObjectNode();
        body.put("error", "could not find step " + requestedStep + " to run");
        body.put("requestedStep", requestedStep);
        return new CallResult(500, responseHeaders(true), body);
    }

    /** Not retriable: asked for, or the last attempt (then the step or run fails for good). */
    private boolean retriable(Exception e) {
        if (e instanceof NonRetriableException) {
            return false;
        }
        return request.attempt() < request.maxAttempts() - 1;
    }

    /** The headers every answer to Inngest carries; {@code retriable} null leaves out the no-retry header. */
    public static Map<String, String> responseHeaders(Boolean retriable) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Inngest-Sdk", SDK);
        // Version 2: step ids hashed as in version 1, and the server may coalesce parallel steps (the spec's MUST).
        headers.put("X-Inngest-Req-Version", REQUEST_VERSION);
        if (retriable != null) {
            headers.put("X-Inngest-No-Retry", retriable ? "false" : "true");
        }
        return headers;
    }

    /** The error as the protocol carries it: name, message, stack, and its {@code data} and cause when it has them. */
    private ObjectNode error(Exception e) {
        StringWriter stack = new StringWriter();
        e.printStackTrace(new PrintWriter(stack));
        String name = e instanceof NonRetriableException ? "NonRetriableError" : e.getClass().getSimpleName();
        ObjectNode error = error(name, e.getMessage() == null ? e.toString() : e.getMessage(), stack.toString());
        if (e instanceof NonRetriableException nonRetriable && nonRetriable.data() != null) {
            error.set("data", nonRetriable.data());
        }
        Throwable cause = e.getCause();
        if (cause != null) {
            error.set("cause", error(cause instanceof StepError ? "StepError" : cause.getClass().getSimpleName(),
                    cause.getMessage() == null ? cause.toString() : cause.getMessage(), null));
        }
        return error;
    }

    private ObjectNode error(String name, String message, String stack) {
        ObjectNode error = json.createObjectNode();
        error.put("name", name);
        error.put("message", message);
        if (stack != null) {
            error.put("stack", stack);
        }
        return error;
    }
}
