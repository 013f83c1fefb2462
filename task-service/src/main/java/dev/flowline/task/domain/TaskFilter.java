package dev.flowline.task.domain;

import java.time.Instant;
import java.util.Set;

/**
 * What the inbox shows: every member optional. {@code assignee} is a user name; {@code candidate} keeps the tasks
 * that user or any of those roles may work on (the caller, for "candidate of my roles"); {@code text} is a
 * case-insensitive substring of the title.
 */
public record TaskFilter(TaskStatus status, String assignee, Candidate candidate, String workflow,
        String runId, String stepId, String errorCode, Integer priorityMin, Integer priorityMax, Instant dueBefore,
        Instant dueAfter, Instant createdFrom, Instant createdTo, String text) {

    /** A user and the roles they hold. */
    public record Candidate(String user, Set<String> roles) {
    }

    /** The inbox's orders: soonest due, highest priority, newest. Ties in id order, which keeps cursors stable. */
    public enum Sort {
        DUE, PRIORITY, CREATED
    }
}
