package dev.flowline.bridge.inngest;

import java.time.Duration;

/**
 * When a call request runs its steps in process and checkpoints them, as the official SDKs do by default.
 *
 * @param bufferedSteps steps run before they are checkpointed together (1: each one at once, as the TypeScript SDK's
 *        default); more saves round trips, but a crash before the checkpoint runs the unreported steps again
 * @param maxRuntime after this long a call runs no further step in process: the next one is answered as without
 *        checkpointing, so a call ends well before the server's request timeout
 */
public record CheckpointPolicy(boolean enabled, int bufferedSteps, Duration maxRuntime) {

    /** Every step answered on its own, one call request per step. */
    public static final CheckpointPolicy OFF = new CheckpointPolicy(false, 1, Duration.ZERO);

    public CheckpointPolicy {
        if (bufferedSteps < 1) {
            throw new IllegalArgumentException("bufferedSteps must be at least 1, was " + bufferedSteps);
        }
        if (maxRuntime == null || maxRuntime.isNegative()) {
            throw new IllegalArgumentException("maxRuntime must be zero or more, was " + maxRuntime);
        }
    }
}
