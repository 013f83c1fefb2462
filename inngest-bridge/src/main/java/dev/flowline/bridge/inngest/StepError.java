package dev.flowline.bridge.inngest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A step that failed for good (its retries exhausted, or non-retriable), surfaced to the function where the step is
 * called, with the error as the server memoized it. Uncaught, it fails the run without further retries, with the
 * step's original error.
 */
public class StepError extends RuntimeException {

    private final String stepId;
    private final transient JsonNode error;

    /** @param error the memoized error: {@code name}, {@code message}, and optionally {@code stack}, {@code data}, {@code cause} */
    public StepError(String stepId, JsonNode error) {
        super(error.path("message").asText(""));
        this.stepId = stepId;
        this.error = error;
    }

    public String stepId() {
        return stepId;
    }

    /** The error's name as reported (for example {@code NonRetriableError}). */
    public String errorName() {
        return error.path("name").asText("Error");
    }

    public String errorStack() {
        return error.path("stack").asText(null);
    }

    /** The error's {@code data}, or null. */
    public JsonNode data() {
        return error.hasNonNull("data") ? error.get("data") : null;
    }

    /** The error's cause ({@code name}, {@code message}, …), or null. */
    public JsonNode errorCause() {
        return error.hasNonNull("cause") ? error.get("cause") : null;
    }

    /** The error as memoized, to report it again unchanged. */
    public JsonNode error() {
        return error;
    }
}
