package dev.flowline.task.domain;

import java.util.Locale;

/** What can happen to a task: by a person through the API, or by the service (expire, cancel with the run). */
public enum TaskAction {
    CLAIM, RELEASE, ASSIGN, RESOLVE, CANCEL, EXPIRE, COMMENT;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
