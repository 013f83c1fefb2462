package dev.flowline.bridge.domain;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Which runs to list or to act on in bulk; every member optional.
 *
 * @param from runs started at or after; {@code to}: before
 * @param errorCode runs with a step attempt that failed with this code
 */
@RegisterForReflection
public record RunFilter(String workflow, String version, RunStatus status, Instant from, Instant to, UUID command,
        UUID trigger, String errorCode) {
}
