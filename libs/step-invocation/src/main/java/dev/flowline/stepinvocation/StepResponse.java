package dev.flowline.stepinvocation;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

/** What a step's endpoint answered, read by the step response contract. */
public sealed interface StepResponse {

    /** {@code {"output": …}}. */
    record Output(JsonNode output) implements StepResponse {
    }

    /** Codes in this namespace are Flowline's own: a step (its SDK) reports a system error with one. */
    String SYSTEM_PREFIX = "flowline.";

    /** An exception in the step's code that it did not turn into a declared error: retried like an outage. */
    String STEP_EXCEPTION = "flowline.step-exception";

    /** {@code {"error": {"code", "message", "data"}}}: an error the step reports (declared or not). */
    record Failed(String code, String message, JsonNode data) implements StepResponse {
        /** A system error the step reported (its SDK's checks, an unhandled exception), not one it declares. */
        public boolean system() {
            return code.startsWith(SYSTEM_PREFIX);
        }
    }

    /**
     * The endpoint could not be reached or answered that it cannot serve now (timeout, throttled, 5xx): worth another
     * attempt, after {@code retryAfter} when it said so.
     */
    record Unavailable(String reason, Duration retryAfter) implements StepResponse {
    }

    /** An answer outside the contract, or a refusal another attempt cannot change (4xx, no such function). */
    record Invalid(String reason) implements StepResponse {
    }

    /** Reads a body by the contract; anything else is {@link Invalid}. */
    static StepResponse read(JsonNode body) {
        if (body == null || !body.isObject()) {
            return new Invalid("the answer is not a JSON object with output or error");
        }
        boolean hasOutput = body.has("output");
        JsonNode error = body.get("error");
        if (hasOutput == (error != null)) {
            return new Invalid("the answer must have exactly one of output and error, got members " + names(body));
        }
        if (hasOutput) {
            return new Output(body.get("output"));
        }
        if (!error.isObject() || !error.path("code").isTextual() || error.path("code").asText().isBlank()) {
            return new Invalid("error.code must be a non-empty string");
        }
        return new Failed(error.get("code").asText(), error.path("message").asText(null), error.get("data"));
    }

    private static String names(JsonNode body) {
        java.util.List<String> names = new java.util.ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        return names.toString();
    }
}
