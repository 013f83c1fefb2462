package dev.flowline.bridge.inngest;

/** Thrown by a function or a step to fail without retries (answered 400 with {@code X-Inngest-No-Retry: true}). */
public class NonRetriableException extends RuntimeException {

    public NonRetriableException(String message) {
        super(message);
    }

    public NonRetriableException(String message, Throwable cause) {
        super(message, cause);
    }
}
