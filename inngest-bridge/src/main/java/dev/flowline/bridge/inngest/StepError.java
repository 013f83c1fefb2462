package dev.flowline.bridge.inngest;

/**
 * A step that failed for good (its retries exhausted, or non-retriable), surfaced to the function where the step is
 * called. Uncaught, it fails the run without further retries, with the step's original error.
 */
public class StepError extends RuntimeException {

    private final String stepId;
    private final String name;
    private final String stack;

    public StepError(String stepId, String name, String message, String stack) {
        super(message);
        this.stepId = stepId;
        this.name = name;
        this.stack = stack;
    }

    public String stepId() {
        return stepId;
    }

    /** The error's name as reported (for example {@code NonRetriableError}). */
    public String errorName() {
        return name;
    }

    public String errorStack() {
        return stack;
    }
}
