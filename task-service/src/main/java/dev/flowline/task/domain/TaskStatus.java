package dev.flowline.task.domain;

/** Where a task is in its life; the last three are ends. */
public enum TaskStatus {
    OPEN, CLAIMED, RESOLVED, CANCELLED, EXPIRED;

    public boolean ended() {
        return this == RESOLVED || this == CANCELLED || this == EXPIRED;
    }
}
