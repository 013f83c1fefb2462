package dev.flowline.bridge.domain;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.json.schema.Validator;

import dev.flowline.definitions.StepDefinition;
import dev.flowline.definitions.WorkflowDefinition;
import dev.flowline.servicekit.json.JsonSchemaValidation;
import dev.flowline.servicekit.problem.Problem.FieldError;

/**
 * A pinned workflow version with its step definitions, parsed and its schemas compiled once: published versions never
 * change, so every call request of every run of the version shares it.
 */
public final class CompiledWorkflow {

    /** A step definition with its compiled schemas. */
    public static final class CompiledStep {
        private final StepDefinition definition;
        private final Validator input;
        private final Validator output;
        private final Map<String, Validator> errorData = new HashMap<>();

        CompiledStep(StepDefinition definition) {
            this.definition = definition;
            String base = "urn:flowline:step:" + definition.label();
            this.input = JsonSchemaValidation.compile(definition.input(), JsonSchemaValidation.options(base));
            this.output = JsonSchemaValidation.compile(definition.output(), JsonSchemaValidation.options(base));
            definition.errors().forEach(error -> {
                if (error.data() != null) {
                    errorData.put(error.code(), JsonSchemaValidation.compile(error.data(), JsonSchemaValidation
                            .options(base)));
                }
            });
        }

        public StepDefinition definition() {
            return definition;
        }

        public List<FieldError> inputErrors(JsonNode input) {
            return JsonSchemaValidation.validate(this.input, input, "");
        }

        public List<FieldError> outputErrors(JsonNode output) {
            return JsonSchemaValidation.validate(this.output, output, "");
        }

        /** Errors of an error's data against its code's schema; none when the code declares no data schema. */
        public List<FieldError> errorDataErrors(String code, JsonNode data) {
            Validator validator = errorData.get(code);
            return validator == null ? List.of() : JsonSchemaValidation.validate(validator, data, "");
        }
    }

    private final WorkflowDefinition definition;
    private final Validator input;
    private final Map<String, CompiledStep> steps;

    CompiledWorkflow(WorkflowDefinition definition, Map<String, CompiledStep> steps) {
        this.definition = definition;
        this.input = JsonSchemaValidation.compile(definition.input(), JsonSchemaValidation.options(
                "urn:flowline:workflow:" + definition.label()));
        this.steps = Map.copyOf(steps);
    }

    public WorkflowDefinition definition() {
        return definition;
    }

    /** The compiled step definition a workflow step uses. */
    public CompiledStep step(String stepId) {
        return steps.get(stepId);
    }

    public List<FieldError> inputErrors(JsonNode input) {
        return JsonSchemaValidation.validate(this.input, input, "");
    }
}
