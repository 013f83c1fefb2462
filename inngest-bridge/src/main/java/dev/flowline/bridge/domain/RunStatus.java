package dev.flowline.bridge.domain;

/** Where a run is, as the runs projection shows it. */
public enum RunStatus {
    RUNNING,
    /** A step waits for a human task. */
    WAITING, COMPLETED, FAILED, CANCELLED;

    public boolean ended() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
