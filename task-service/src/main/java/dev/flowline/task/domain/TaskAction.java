package dev.flowline.task.domain;

import java.util.Locale;

/**
 * What can happen to a task: by a person through the API, or by the service (expire, escalate and reassign by the
 * type's rules, cancel with the run).
 */
public enum TaskAction {
    CLAIM, RELEASE, ASSIGN, RESOLVE, CANCEL, EXPIRE, COMMENT, ESCALATE, REASSIGN;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
