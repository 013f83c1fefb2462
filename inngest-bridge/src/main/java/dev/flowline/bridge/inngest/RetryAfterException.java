package dev.flowline.bridge.inngest;

import java.time.Instant;

/** Thrown to be retried, but not before {@code retryAt} (answered with a {@code Retry-After} header). */
public class RetryAfterException extends RuntimeException {

    private final Instant retryAt;

    public RetryAfterException(String message, Instant retryAt) {
        super(message);
        this.retryAt = retryAt;
    }

    public Instant retryAt() {
        return retryAt;
    }
}
