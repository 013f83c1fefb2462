package dev.flowline.bridge.domain;

import java.math.BigDecimal;
import java.time.Duration;

import dev.flowline.definitions.Retry;

/** The delay before the next attempt: exponential from the retry's backoff, with Flowline's defaults. */
final class Backoff {

    static final Duration DEFAULT_INITIAL = Duration.ofSeconds(1);
    static final BigDecimal DEFAULT_RATE = BigDecimal.valueOf(2);
    static final Duration DEFAULT_MAX = Duration.ofMinutes(5);

    private Backoff() {
    }

    /** The delay after attempt {@code attempt} (from 0) failed: initial × rate^attempt, at most the maximum. */
    static Duration delay(Retry retry, int attempt) {
        Retry.Backoff backoff = retry == null ? null : retry.backoff();
        Duration initial = backoff != null && backoff.initialInterval() != null
                ? backoff.initialInterval().value()
                : DEFAULT_INITIAL;
        double rate = backoff != null && backoff.rate() != null
                ? backoff.rate().doubleValue()
                : DEFAULT_RATE
                        .doubleValue();
        Duration max = backoff != null && backoff.maxDelay() != null ? backoff.maxDelay().value() : DEFAULT_MAX;
        double millis = initial.toMillis() * Math.pow(Math.max(1.0, rate), attempt);
        return millis >= max.toMillis() ? max : Duration.ofMillis((long) millis);
    }
}
