package dev.flowline.bridge.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.flowline.bridge.domain.CompiledWorkflow.CompiledStep;
import dev.flowline.bridge.inngest.FunctionContext;
import dev.flowline.bridge.inngest.InngestFunction;
import dev.flowline.bridge.inngest.NonRetriableException;
import dev.flowline.bridge.inngest.RetryAfterException;
import dev.flowline.bridge.inngest.Step;
import dev.flowline.bridge.inngest.StepError;
import dev.flowline.contracts.StepAwaitingTask;
import dev.flowline.contracts.TaskResolved;
import dev.flowline.contracts.Topics;
import dev.flowline.contracts.WorkflowRunEvent;
import dev.flowline.contracts.WorkflowRunEvent.Kind;
import dev.flowline.contracts.WorkflowRunEvent.OriginKind;
import dev.flowline.contracts.WorkflowRunEvent.StepFailure;
import dev.flowline.definitions.ErrorAction;
import dev.flowline.definitions.Retry;
import dev.flowline.definitions.StepDefinition;
import dev.flowline.definitions.WorkflowDefinition;
import dev.flowline.definitions.WorkflowDefinition.WorkflowStep;
import dev.flowline.expression.FunctionValues;
import dev.flowline.expression.JsonPath;
import dev.flowline.expression.Mapping;
import dev.flowline.servicekit.problem.Problem.FieldError;
import dev.flowline.stepinvocation.StepCall;
import dev.flowline.stepinvocation.StepInvoker;
import dev.flowline.stepinvocation.StepInvokers;
import dev.flowline.stepinvocation.StepResponse;

/**
 * Runs a workflow as the code of its Inngest function. Inngest calls the code again for every step, with the results
 * of the steps done so far, so this walks the graph from the start on every call: memoized steps answer at once, the
 * first new one runs (or is reported) and ends the call. Everything with an effect (calling a binding, recording the
 * lifecycle) happens inside a step, with ids derived from run, step, execution and attempt.
 *
 * <p>
 * A step's body never fails at Inngest's level for what the binding did: it records the attempt and either throws a
 * {@link RetryAfterException} (another attempt, with the workflow's backoff) or answers the outcome, so what follows
 * (skip, task, fail) is decided here, deterministically, on every replay.
 */
@ApplicationScoped
public class WorkflowRunner {

    /** The Inngest event that carries a task's resolution to the run waiting for it. */
    public static final String TASK_RESOLVED_EVENT = "flowline/task.resolved";
    /** Attempts in all when neither the workflow nor the step definition says. */
    static final int DEFAULT_ATTEMPTS = 3;
    /** The function's retries are Inngest's maximum, so a step's own attempts (at most this many) decide. */
    static final int MAX_ATTEMPTS = InngestFunction.MAX_RETRIES + 1;
    /**
     * A run that walks more workflow steps than this fails: a loop no maxVisits bounds. Inngest limits a run to 1,000
     * steps of its own, and each workflow step takes one or more (a task takes four more), so this stays below it.
     */
    static final int MAX_STEPS_PER_RUN = 900;

    @Inject
    RunPlanner planner;

    @Inject
    RunJournal journal;

    @Inject
    TaskResolutions resolutions;

    @Inject
    @Any
    StepInvokers invokers;

    @Inject
    ObjectMapper json;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @ConfigProperty(name = "flowline.runner.task-timeout")
    Duration taskTimeout;

    @ConfigProperty(name = "flowline.runner.default-step-timeout")
    Duration defaultStepTimeout;

    /** The code of the function of {@code workflow}. */
    public Object run(String workflow, FunctionContext context) throws Exception {
        Step step = context.step();
        String runId = context.runId();
        RunPlan plan = null;
        try {
            plan = step.run("plan", RunPlan.class, () -> planner.plan(workflow, context.event().path("data"), runId));
            if (plan.rejected() != null) {
                throw new NonRetriableException(plan.rejected().message(), json.valueToTree(plan.rejected()), null);
            }
            CompiledWorkflow compiled = planner.compiled(plan);
            RunContext run = new RunContext(plan, compiled, context);
            run.walk();
            RunPlan pinned = plan;
            return step.run("complete", JsonNode.class, () -> {
                JsonNode output = compiled.definition().output() == null
                        ? NullNode.getInstance()
                        : compiled.definition().output().parsed().evaluate(run.state, FunctionValues.fresh(
                                java.time.Clock.systemUTC()));
                planner.completeRun(pinned, runId, output);
                return output;
            });
        } catch (RunFailure failure) {
            throw fail(step, plan, workflow, context, failure.failure(), failure.getMessage());
        } catch (NonRetriableException e) {
            throw e;
        } catch (StepError e) {
            // One of our own steps failed for good (the database was unreachable through every attempt).
            throw fail(step, plan, workflow, context, new StepFailure("flowline.internal", e.getMessage(), e.error(),
                    true), e.getMessage());
        } catch (RuntimeException e) {
            // A defect between steps: the same on every retry, so the run fails now, recorded.
            throw fail(step, plan, workflow, context, new StepFailure("flowline.internal", e.toString(), null, true),
                    e.toString());
        }
    }

    /** Records the run's failure in a step of its own and answers what ends the run. */
    private NonRetriableException fail(Step step, RunPlan plan, String workflow, FunctionContext context,
            StepFailure why, String message) {
        RunPlan known = plan != null
                ? plan
                : new RunPlan(workflow, "none", null, Map.of(), Map.of(), null, planner.request(workflow, context
                        .event().path("data")), java.time.Instant.now(), why);
        step.run("fail", Boolean.class, () -> {
            planner.failRun(known, context.runId(), why);
            return true;
        });
        return new NonRetriableException(message, json.valueToTree(why), null);
    }

    /** One call request's walk of one run. */
    private final class RunContext {
        final RunPlan plan;
        final CompiledWorkflow compiled;
        final FunctionContext context;
        final Step step;
        final String runId;
        /** {@code {"input", "steps": {id: {"output"}}, "run": {"id", "workflow", "version"}}}: what mappings read. */
        final ObjectNode state;
        final Map<String, Integer> executions = new HashMap<>();

        RunContext(RunPlan plan, CompiledWorkflow compiled, FunctionContext context) {
            this.plan = plan;
            this.compiled = compiled;
            this.context = context;
            this.step = context.step();
            this.runId = context.runId();
            this.state = json.createObjectNode();
            state.set("input", plan.input() == null ? json.createObjectNode() : plan.input());
            state.putObject("steps");
            state.putObject("run").put("id", runId).put("workflow", plan.workflow()).put("version", plan.version());
        }

        void walk() throws RunFailure {
            WorkflowDefinition definition = compiled.definition();
            WorkflowRunEvent.Origin origin = plan.request().origin();
            boolean resuming = origin != null && origin.kind() == OriginKind.RESUME;
            Map<String, Integer> visits = new HashMap<>();
            Map<String, Integer> reusedVisits = new HashMap<>();
            String current = definition.start();
            int walked = 0;
            while (current != null) {
                WorkflowStep workflowStep = definition.step(current);
                int visit = visits.merge(current, 1, Integer::sum);
                if (workflowStep.maxVisits() != null && visit > workflowStep.maxVisits()) {
                    throw new RunFailure(current, new StepFailure("flowline.max-visits", "step " + current + " would "
                            + "run more often than its maxVisits, " + workflowStep.maxVisits(), null, true));
                }
                if (++walked > MAX_STEPS_PER_RUN) {
                    throw new RunFailure(current, new StepFailure("flowline.too-many-steps", "the run walked more "
                            + "than " + MAX_STEPS_PER_RUN + " steps", null, true));
                }
                JsonNode patch = null;
                if (resuming && current.equals(origin.fromStep())) {
                    resuming = false;
                    patch = plan.request().patch();
                }
                List<JsonNode> recorded = plan.request().reuse().getOrDefault(current, List.of());
                int reusedVisit = resuming ? reusedVisits.merge(current, 1, Integer::sum) : 0;
                JsonNode output;
                if (resuming && reusedVisit <= recorded.size()) {
                    output = recorded.get(reusedVisit - 1);
                    // The reused executions count: a later execution of the step gets the next number.
                    executions.merge(current, 1, Integer::sum);
                } else {
                    output = execute(workflowStep, patch);
                }
                ((ObjectNode) state.get("steps")).putObject(current).set("output", output == null
                        ? NullNode.getInstance()
                        : output);
                current = next(workflowStep);
            }
        }

        private String next(WorkflowStep workflowStep) throws RunFailure {
            if (workflowStep.next().isEnd()) {
                return null;
            }
            for (WorkflowDefinition.Branch branch : workflowStep.next().branches()) {
                if (branch.isDefault() || branch.when().parsed().evaluate(state, JsonPath.root()).matched()) {
                    return branch.to();
                }
            }
            throw new RunFailure(workflowStep.id(), new StepFailure("flowline.no-branch", "no branch of step "
                    + workflowStep.id() + " matched and it has no default", null, true));
        }

        /** Runs the step until it has an output (its own, or a substitute), or the run fails. */
        private JsonNode execute(WorkflowStep workflowStep, JsonNode patch) throws RunFailure {
            CompiledStep compiledStep = compiled.step(workflowStep.id());
            int execution = executions.merge(workflowStep.id(), 1, Integer::sum);
            JsonNode input = patch != null ? patch : input(workflowStep, execution);
            while (true) {
                String key = workflowStep.id() + "#" + execution;
                int thisExecution = execution;
                JsonNode outcome = step.run("step:" + key, JsonNode.class, input, given -> attempt(workflowStep,
                        compiledStep, thisExecution, given));
                if (outcome.has("output")) {
                    return outcome.get("output");
                }
                StepFailure failure = json.convertValue(outcome.get("failure"), StepFailure.class);
                ErrorAction action = ErrorAction.fromWord(outcome.path("action").asText());
                if (action != ErrorAction.TASK) {
                    throw new RunFailure(workflowStep.id(), failure);
                }
                TaskResolved resolution = awaitTask(workflowStep, compiledStep, execution, outcome.path("attempt")
                        .asInt(), failure, outcome.path("input"));
                switch (resolution.resolution()) {
                    case SKIP -> {
                        return resolution.output();
                    }
                    case ABORT -> throw new RunFailure(workflowStep.id(), new StepFailure("flowline.aborted",
                            "aborted by " + (resolution.resolvedBy() == null ? "a person" : resolution.resolvedBy())
                                    + (resolution.reason() == null ? "" : ": " + resolution.reason()),
                            null, false));
                    default -> {
                        if (resolution.input() != null) {
                            input = resolution.input();
                        }
                        execution = executions.merge(workflowStep.id(), 1, Integer::sum);
                    }
                }
            }
        }

        /** The step's mapped input; mappings that call NOW() or UUID() are evaluated once, in a step. */
        private JsonNode input(WorkflowStep workflowStep, int execution) {
            if (workflowStep.with() == null) {
                return json.createObjectNode();
            }
            Mapping mapping = workflowStep.with().parsed();
            if (!callsFunctions(mapping)) {
                return mapping.evaluate(state, FunctionValues.fresh(java.time.Clock.systemUTC()));
            }
            return step.run("input:" + workflowStep.id() + "#" + execution, JsonNode.class, () -> mapping.evaluate(
                    state, FunctionValues.fresh(java.time.Clock.systemUTC())));
        }

        /** One attempt: the body of the step's {@code step.run}. */
        private JsonNode attempt(WorkflowStep workflowStep, CompiledStep compiledStep, int execution, JsonNode input)
                throws RetryAfterException {
            Attempt record = new Attempt(workflowStep.id(), execution, context.attempt());
            record.started(input);
            try {
                return call(workflowStep, compiledStep, execution, input, record);
            } finally {
                // Whatever left the body (an exception too): nothing of this attempt is recorded after this returns.
                record.settled();
            }
        }

        private JsonNode call(WorkflowStep workflowStep, CompiledStep compiledStep, int execution, JsonNode input,
                Attempt record) throws RetryAfterException {
            int attempt = record.attempt;
            StepDefinition definition = compiledStep.definition();
            List<FieldError> inputErrors = compiledStep.inputErrors(input);
            if (!inputErrors.isEmpty()) {
                return record.fail(new StepFailure("flowline.invalid-input", "the step's input does not match the "
                        + "input schema of " + definition.label(), json.valueToTree(inputErrors), true), null, input);
            }
            StepInvoker invoker = definition.binding() == null
                    ? null
                    : invokers.forType(definition.binding().type()).orElse(null);
            if (invoker == null) {
                return record.fail(new StepFailure("flowline.no-binding", definition.label() + " has no binding this "
                        + "runner can call", null, true), null, input);
            }
            String idempotencyKey = runId + ":" + workflowStep.id() + ":" + execution + ":" + attempt;
            ObjectNode payload = json.createObjectNode();
            payload.set("input", input);
            payload.putObject("context").put("runId", runId).put("stepId", workflowStep.id()).put("attempt", attempt)
                    .put("execution", execution).put("workflow", plan.workflow()).put("version", plan.version())
                    .put("idempotencyKey", idempotencyKey);
            Duration timeout = workflowStep.timeout() != null
                    ? workflowStep.timeout().value()
                    : definition.timeout() != null ? definition.timeout().value() : defaultStepTimeout;
            long calling = System.nanoTime();
            StepResponse response = invoker.invoke(definition.binding(), new StepCall(payload, idempotencyKey,
                    timeout));
            io.micrometer.core.instrument.Timer.builder("flowline.runner.step.call").description(
                    "calling a step's binding, one attempt").tag("binding", definition.binding().type()).register(
                            registry)
                    .record(System.nanoTime() - calling, java.util.concurrent.TimeUnit.NANOSECONDS);
            Retry ownRetry = workflowStep.retry() != null ? workflowStep.retry() : definition.retry();
            if (response instanceof StepResponse.Output output) {
                List<FieldError> errors = compiledStep.outputErrors(output.output());
                if (!errors.isEmpty()) {
                    return record.fail(new StepFailure("flowline.invalid-output", "the output does not match the "
                            + "output schema of " + definition.label(), json.valueToTree(errors), true), null, input);
                }
                return record.succeeded(output.output());
            }
            if (response instanceof StepResponse.Unavailable unavailable) {
                StepFailure failure = new StepFailure("flowline.unavailable", unavailable.reason(), null, true);
                record.retryOrFail(failure, ownRetry, unavailable.retryAfter());
                return record.fail(failure, null, input);
            }
            if (response instanceof StepResponse.Invalid invalid) {
                return record.fail(new StepFailure("flowline.invalid-response", invalid.reason(), null, true), null,
                        input);
            }
            StepResponse.Failed failed = (StepResponse.Failed) response;
            if (failed.system()) {
                StepFailure failure = new StepFailure(failed.code(), failed.message(), failed.data(), true);
                if (StepResponse.STEP_EXCEPTION.equals(failed.code())) {
                    record.retryOrFail(failure, ownRetry, null);
                }
                return record.fail(failure, null, input);
            }
            Optional<StepDefinition.ErrorDeclaration> declared = definition.error(failed.code());
            if (declared.isEmpty()) {
                ObjectNode data = json.createObjectNode().put("code", failed.code()).put("message", failed.message());
                data.set("data", failed.data());
                return record.fail(new StepFailure("flowline.undeclared-error", definition.label() + " answered "
                        + "error code " + failed.code() + ", which it does not declare", data, true), null, input);
            }
            List<FieldError> dataErrors = compiledStep.errorDataErrors(failed.code(), failed.data() == null
                    ? NullNode.getInstance()
                    : failed.data());
            if (declared.get().data() != null && !dataErrors.isEmpty()) {
                return record.fail(new StepFailure("flowline.invalid-error-data", "the data of error " + failed
                        .code() + " does not match its schema", json.valueToTree(dataErrors), true), null, input);
            }
            StepFailure failure = new StepFailure(failed.code(), failed.message() != null
                    ? failed.message()
                    : declared
                            .get().message(),
                    failed.data(), false);
            WorkflowDefinition.ErrorPolicy policy = workflowStep.policyFor(failed.code());
            ErrorAction action = policy != null && policy.action() != null
                    ? policy.action()
                    : declared.get().retryable() ? ErrorAction.RETRY : ErrorAction.FAIL;
            switch (action) {
                case RETRY -> {
                    record.retryOrFail(failure, policy != null && policy.retry() != null ? policy.retry() : ownRetry,
                            null);
                    return record.fail(failure, ErrorAction.FAIL, input);
                }
                case SKIP -> {
                    JsonNode substitute = policy.output() == null ? NullNode.getInstance() : policy.output();
                    List<FieldError> errors = policy.output() == null
                            ? List.of()
                            : compiledStep.outputErrors(
                                    substitute);
                    if (!errors.isEmpty()) {
                        return record.fail(new StepFailure("flowline.invalid-substitute", "the skip policy's output "
                                + "does not match the output schema of " + definition.label(),
                                json.valueToTree(
                                        errors),
                                true), null, input);
                    }
                    record.fail(failure, ErrorAction.SKIP, input);
                    return record.skipped(substitute);
                }
                default -> {
                    return record.fail(failure, action, input);
                }
            }
        }

        /**
         * Publishes the awaiting task and waits for its resolution. A resolution that arrived before the wait was
         * registered is found by the check before the wait, or re-sent by {@link TaskResolutions} until the run took
         * it, or found by the check after a timeout.
         */
        private TaskResolved awaitTask(WorkflowStep workflowStep, CompiledStep compiledStep, int execution,
                int attempt, StepFailure failure, JsonNode input) throws RunFailure {
            String correlationKey = StepAwaitingTask.correlationKey(runId, workflowStep.id(), execution, attempt);
            String key = workflowStep.id() + "#" + execution;
            WorkflowDefinition.ErrorPolicy policy = workflowStep.policyFor(failure.code());
            step.run("task:" + key, String.class, () -> {
                Instant now = Instant.now();
                Instant dueAt = now.plus(taskTimeout);
                StepAwaitingTask task = new StepAwaitingTask(StepAwaitingTask.messageIdFor(correlationKey),
                        correlationKey, runId, plan.workflow(), plan.version(), workflowStep.id(), compiledStep
                                .definition().label(),
                        execution, attempt, failure.code(), failure.message(),
                        failure.data(), input, policy == null ? null : policy.taskType(), dueAt, now);
                journal.recordNow(event(Kind.STEP_AWAITING_TASK, workflowStep.id(), execution, attempt, null, null,
                        null, correlationKey, now),
                        List.of(new RunJournal.Attached(Topics.WORKFLOW_LIFECYCLE, runId,
                                StepAwaitingTask.MESSAGE_TYPE, task.messageId(), task)));
                return dueAt.toString();
            });
            JsonNode found = step.run("check:" + key, () -> resolutions.find(correlationKey));
            if (found == null || found.isNull()) {
                Optional<JsonNode> event = step.waitForEvent("wait:" + key, TASK_RESOLVED_EVENT, taskTimeout,
                        "async.data.correlationKey == '" + correlationKey.replace("\\", "\\\\").replace("'", "\\'")
                                + "'");
                found = event.isPresent()
                        ? event.get().path("data").path("resolution")
                        : step.run("recheck:" + key, () -> resolutions.find(correlationKey));
            }
            if (found == null || found.isNull() || found.isMissingNode()) {
                throw new RunFailure(workflowStep.id(), new StepFailure("flowline.task-timed-out", "the task for "
                        + "error " + failure.code() + " was not resolved within " + taskTimeout, failure.data(),
                        false));
            }
            TaskResolved resolution;
            try {
                resolution = json.treeToValue(found, TaskResolved.class);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw new RunFailure(workflowStep.id(), new StepFailure("flowline.invalid-resolution", "the task's "
                        + "resolution cannot be read: " + e.getMessage(), null, true));
            }
            List<FieldError> errors = switch (resolution.resolution()) {
                case RETRY -> resolution.input() == null ? List.of() : compiledStep.inputErrors(resolution.input());
                case SKIP -> compiledStep.outputErrors(resolution.output() == null
                        ? NullNode.getInstance()
                        : resolution.output());
                case ABORT -> List.of();
            };
            TaskResolved taken = resolution;
            step.run("resume:" + key, Boolean.class, () -> {
                Instant now = Instant.now();
                resolutions.markTaken(correlationKey);
                journal.recordNow(event(Kind.STEP_RESUMED, workflowStep.id(), execution, attempt, null, null, null,
                        taken.resolution().name().toLowerCase(java.util.Locale.ROOT) + (errors.isEmpty()
                                ? ""
                                : " (rejected: not valid)"),
                        now), List.of());
                if (errors.isEmpty() && taken.resolution() == TaskResolved.Resolution.SKIP) {
                    journal.recordNow(event(Kind.STEP_SKIPPED, workflowStep.id(), execution, attempt, null, taken
                            .output(), null, "skipped by " + taken.resolvedBy(), now), List.of());
                }
                return true;
            });
            if (!errors.isEmpty()) {
                throw new RunFailure(workflowStep.id(), new StepFailure("flowline.invalid-resolution", "the task's "
                        + resolution.resolution().name().toLowerCase(java.util.Locale.ROOT) + " resolution does not "
                        + "match the schema of " + compiledStep.definition().label(), json.valueToTree(errors),
                        false));
            }
            return resolution;
        }

        private WorkflowRunEvent event(Kind kind, String stepId, Integer execution, Integer attempt, JsonNode input,
                JsonNode output, StepFailure error, String detail, Instant at) {
            return new WorkflowRunEvent(WorkflowRunEvent.messageIdFor(runId, kind, stepId, execution, attempt), kind,
                    runId, plan.request().commandId(), plan.workflow(), plan.version(), stepId, execution, attempt,
                    input, output, error, plan.request().origin(), null, detail, at);
        }

        /** Records one attempt's lifecycle and builds its outcome. */
        private final class Attempt {
            final String stepId;
            final int execution;
            final int attempt;

            Attempt(String stepId, int execution, int attempt) {
                this.stepId = stepId;
                this.execution = execution;
                this.attempt = attempt;
            }

            /** STEP_STARTED, held back while the step is called: every outcome below is recorded after it. */
            private RunJournal.Pending started;

            void started(JsonNode input) {
                started = journal.recordSoon(event(Kind.STEP_STARTED, stepId, execution, attempt, input, null, null,
                        null, Instant.now()));
            }

            private void record(WorkflowRunEvent outcome) {
                if (started != null) {
                    started.then(outcome);
                } else {
                    journal.recordNow(outcome, List.of());
                }
            }

            /** Makes sure STEP_STARTED is recorded, without throwing: an outcome that needed it has thrown already. */
            void settled() {
                if (started != null) {
                    started.settle();
                }
            }

            JsonNode succeeded(JsonNode output) {
                record(event(Kind.STEP_SUCCEEDED, stepId, execution, attempt, null, output, null, null,
                        Instant.now()));
                ObjectNode outcome = json.createObjectNode();
                outcome.set("output", output);
                return outcome;
            }

            JsonNode skipped(JsonNode substitute) {
                record(event(Kind.STEP_SKIPPED, stepId, execution, attempt, null, substitute, null,
                        "skipped by the error policy", Instant.now()));
                ObjectNode outcome = json.createObjectNode();
                outcome.set("output", substitute);
                return outcome;
            }

            /** Throws for another attempt when the retry allows one; returns when this was the last. */
            void retryOrFail(StepFailure failure, Retry retry, Duration atLeast) throws RetryAfterException {
                int maxAttempts = Math.min(MAX_ATTEMPTS, retry == null || retry.maxAttempts() == null
                        ? DEFAULT_ATTEMPTS
                        : Math.max(1, retry.maxAttempts()));
                if (attempt + 1 < maxAttempts) {
                    record(event(Kind.STEP_FAILED, stepId, execution, attempt, null, null, failure,
                            "will retry", Instant.now()));
                    Duration delay = Backoff.delay(retry, attempt);
                    if (atLeast != null && atLeast.compareTo(delay) > 0) {
                        delay = atLeast;
                    }
                    throw new RetryAfterException(failure.message(), Instant.now().plus(delay));
                }
            }

            /** Records the failure; the outcome carries what the run does next ({@code action}, null: fail). */
            JsonNode fail(StepFailure failure, ErrorAction action, JsonNode input) {
                record(event(Kind.STEP_FAILED, stepId, execution, attempt, null, null, failure,
                        action == null ? null : action.word(), Instant.now()));
                ObjectNode outcome = json.createObjectNode();
                outcome.set("failure", json.valueToTree(failure));
                outcome.put("action", (action == null ? ErrorAction.FAIL : action).word());
                outcome.put("attempt", attempt);
                outcome.set("input", input);
                return outcome;
            }
        }
    }

    /** Whether evaluating the mapping calls NOW() or UUID() (then its value must be recorded). */
    static boolean callsFunctions(Mapping mapping) {
        if (mapping instanceof Mapping.Call) {
            return true;
        }
        if (mapping instanceof Mapping.ObjectMapping object) {
            return object.members().values().stream().anyMatch(WorkflowRunner::callsFunctions);
        }
        if (mapping instanceof Mapping.ArrayMapping array) {
            return array.items().stream().anyMatch(WorkflowRunner::callsFunctions);
        }
        return false;
    }
}
