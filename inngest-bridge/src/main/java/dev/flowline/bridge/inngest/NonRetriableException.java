package dev.flowline.bridge.inngest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Thrown by a function or a step to fail without retries (answered 400 with {@code X-Inngest-No-Retry: true}). Its
 * {@code data} and cause travel with the error to the server and to the code that catches the failed step.
 */
public class NonRetriableException extends RuntimeException {

    private final transient JsonNode data;

    public NonRetriableException(String message) {
        this(message, null, null);
    }

    public NonRetriableException(String message, Throwable cause) {
        this(message, null, cause);
    }

    /** @param data what the failure is about, as JSON (for example a declared error's code and data); may be null */
    public NonRetriableException(String message, JsonNode data, Throwable cause) {
        super(message, cause);
        this.data = data;
    }

    public JsonNode data() {
        return data;
    }
}
