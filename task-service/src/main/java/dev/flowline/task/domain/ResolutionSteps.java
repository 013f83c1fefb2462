package dev.flowline.task.domain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

import dev.flowline.catalogcache.CachedDefinition;
import dev.flowline.catalogcache.CatalogCache;
import dev.flowline.definitions.StepDefinition;
import dev.flowline.expression.FunctionValues;
import dev.flowline.expression.MappingCheck;
import dev.flowline.servicekit.json.JsonSchemaValidation;
import dev.flowline.servicekit.problem.Problem.FieldError;
import dev.flowline.servicekit.problem.ProblemException;
import dev.flowline.servicekit.problem.ProblemType;
import dev.flowline.stepinvocation.StepCall;
import dev.flowline.stepinvocation.StepInvoker;
import dev.flowline.stepinvocation.StepInvokers;
import dev.flowline.stepinvocation.StepResponse;
import dev.flowline.task.persistence.TaskEntity;

/**
 * Checks a type's {@link ResolutionStep} against the catalog when the override is saved, and calls it when a task is
 * resolved: its answer decides whether the resolve goes on (the output is kept in the audit trail), is refused (422:
 * the step refused the data, nothing changed) or must be tried again (503: the step could not be reached).
 */
@ApplicationScoped
public class ResolutionSteps {

    /** What the step answered. */
    public record Called(String step, JsonNode input, JsonNode output) {
    }

    /** A call ready to make: the step, its binding's invoker and the payload. */
    public record Prepared(String step, StepDefinition definition, StepInvoker invoker, JsonNode input,
            StepCall call) {
    }

    @Inject
    CatalogCache catalog;

    @Inject
    StepInvokers invokers;

    @Inject
    Vertx vertx;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "flowline.tasks.resolution-step-timeout", defaultValue = "10s")
    Duration timeout;

    /** Every problem of {@code step} for a type with these schemas, at its pointer; call inside a session. */
    public Uni<List<FieldError>> problems(ResolutionStep step, JsonNode errorSchema, JsonNode stepInputSchema) {
        return catalog.steps().resolve(step.uses().name(), step.uses().range()).map(found -> {
            List<FieldError> errors = new ArrayList<>();
            if (found.isEmpty() || found.get().status() != dev.flowline.contracts.CatalogChange.Status.PUBLISHED) {
                errors.add(new FieldError("/resolutionStep/uses", "no published step " + step.uses().name()
                        + " in " + step.uses().range()));
                return errors;
            }
            StepDefinition definition = found.get().definition();
            if (definition.binding() == null || invokers.forType(definition.binding().type()).isEmpty()) {
                errors.add(new FieldError("/resolutionStep/uses", found.get().label() + " has no binding this service "
                        + "can call"));
            }
            if (definition.input() != null) {
                MappingCheck.against(step.with(), "/resolutionStep/with", definition.input(), path -> ResolutionStep
                        .typesAt(path, errorSchema, stepInputSchema), "step " + found.get().label()).forEach(
                                e -> errors.add(new FieldError(e.pointer(), e.message())));
            }
            step.with().forEachPath((path, pointer) -> {
                if (ResolutionStep.typesAt(path, errorSchema, stepInputSchema) == null) {
                    errors.add(new FieldError(pointer, path + " is not in the task's error data, step input or "
                            + "task"));
                }
            });
            return errors;
        });
    }

    /**
     * Prepares the call of the step for {@code task} with the submitted {@code data}: the mapped input, checked
     * against the step's input schema (422 at {@code /data} when it does not match). Call inside a session.
     */
    public Uni<Prepared> prepare(ResolutionStep step, TaskEntity task, JsonNode data) {
        JsonNode input = step.with().evaluate(ResolutionStep.context(task, data), FunctionValues.fresh(java.time.Clock
                .systemUTC()));
        String taskId = task.id.toString();
        String runId = task.runId;
        String stepId = task.stepId;
        String workflow = task.workflow;
        // The same key for every call of one version of the task: a repeated resolve does not repeat the change.
        String idempotencyKey = "task:" + taskId + ":resolution:" + task.version;
        return catalog.steps().resolve(step.uses().name(), step.uses().range()).flatMap(found -> {
            Optional<CachedDefinition<StepDefinition>> definition = found.filter(d -> d.definition().binding() != null);
            Optional<StepInvoker> invoker = definition.flatMap(d -> invokers.forType(d.definition().binding()
                    .type()));
            if (definition.isEmpty() || invoker.isEmpty()) {
                return Uni.createFrom().failure(new ProblemException(ProblemType.UNAVAILABLE, "the resolution step "
                        + step.uses() + " is not in the catalog or cannot be called; nothing changed"));
            }
            StepDefinition d = definition.get().definition();
            String label = definition.get().label();
            if (d.input() != null) {
                List<FieldError> errors = JsonSchemaValidation.validate(JsonSchemaValidation.compile(d.input(),
                        JsonSchemaValidation.options("urn:flowline:task:resolution-input")), input, "");
                if (!errors.isEmpty()) {
                    return Uni.createFrom().failure(ProblemException.invalid(errors.stream().map(e -> new FieldError(
                            "/data", "the resolution step " + label + " needs " + (e.pointer().isEmpty()
                                    ? ""
                                    : e.pointer() + ": ") + e.detail()))
                            .toList()));
                }
            }
            ObjectNode payload = json.createObjectNode();
            payload.set("input", input);
            payload.putObject("context").put("taskId", taskId).put("runId", runId).put("stepId", stepId).put(
                    "workflow", workflow).put("purpose", "task-resolution").put("idempotencyKey", idempotencyKey);
            StepCall call = new StepCall(payload, idempotencyKey, d.timeout() != null ? d.timeout().value() : timeout);
            return Uni.createFrom().item(new Prepared(label, d, invoker.get(), input, call));
        });
    }

    /** Makes the call, off the event loop and outside any session (a slow step holds no connection). */
    public Uni<Called> invoke(Prepared prepared) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> prepared.invoker().invoke(prepared.definition()
                .binding(), prepared.call()))).map(response -> answer(prepared.step(), prepared.input(), response));
    }

    private static Called answer(String label, JsonNode input, StepResponse response) {
        if (response instanceof StepResponse.Output output) {
            return new Called(label, input, output.output());
        }
        if (response instanceof StepResponse.Failed failed && !failed.system()) {
            throw ProblemException.invalid("/data", "the resolution step " + label + " refused it: " + failed.code()
                    + (failed.message() == null ? "" : " (" + failed.message() + ")"));
        }
        String why = response instanceof StepResponse.Failed failed
                ? failed.code() + " " + failed.message()
                : response instanceof StepResponse.Unavailable unavailable
                        ? unavailable.reason()
                        : ((StepResponse.Invalid) response).reason();
        throw unavailable(label, why);
    }

    private static ProblemException unavailable(String step, String why) {
        return new ProblemException(ProblemType.UNAVAILABLE, "the resolution step " + step + " did not apply the "
                + "change (" + why + "); nothing changed, try again");
    }
}
