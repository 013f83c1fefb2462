package dev.flowline.task.domain;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The lifecycle as a table: for each status, the actions allowed and the status they lead to. Anything not in the
 * table is refused (409: the task is not in a state for it). Mirrored in docs/tasks.md; {@code TaskTransitionsTest}
 * walks every cell.
 *
 * <pre>
 *            claim    release  assign   resolve   cancel     expire   comment  escalate  reassign
 * OPEN       CLAIMED  -        CLAIMED  RESOLVED  CANCELLED  EXPIRED  OPEN     OPEN      OPEN
 * CLAIMED    -        OPEN     CLAIMED  RESOLVED  CANCELLED  EXPIRED  CLAIMED  CLAIMED   OPEN
 * ended      -        -        -        -         -          -        -        -         -
 * </pre>
 *
 * Resolving an open task is for admins only (see {@link TaskPermissions}); anyone else claims it first. An
 * escalation rule that hands the task to another role is a reassign: whoever held it lets go.
 */
public final class TaskTransitions {

    private static final Map<TaskStatus, Map<TaskAction, TaskStatus>> TABLE = new EnumMap<>(TaskStatus.class);

    static {
        Map<TaskAction, TaskStatus> open = new EnumMap<>(TaskAction.class);
        open.put(TaskAction.CLAIM, TaskStatus.CLAIMED);
        open.put(TaskAction.ASSIGN, TaskStatus.CLAIMED);
        open.put(TaskAction.RESOLVE, TaskStatus.RESOLVED);
        open.put(TaskAction.CANCEL, TaskStatus.CANCELLED);
        open.put(TaskAction.EXPIRE, TaskStatus.EXPIRED);
        open.put(TaskAction.COMMENT, TaskStatus.OPEN);
        open.put(TaskAction.ESCALATE, TaskStatus.OPEN);
        open.put(TaskAction.REASSIGN, TaskStatus.OPEN);
        TABLE.put(TaskStatus.OPEN, open);
        Map<TaskAction, TaskStatus> claimed = new EnumMap<>(TaskAction.class);
        claimed.put(TaskAction.RELEASE, TaskStatus.OPEN);
        claimed.put(TaskAction.ASSIGN, TaskStatus.CLAIMED);
        claimed.put(TaskAction.RESOLVE, TaskStatus.RESOLVED);
        claimed.put(TaskAction.CANCEL, TaskStatus.CANCELLED);
        claimed.put(TaskAction.EXPIRE, TaskStatus.EXPIRED);
        claimed.put(TaskAction.COMMENT, TaskStatus.CLAIMED);
        claimed.put(TaskAction.ESCALATE, TaskStatus.CLAIMED);
        claimed.put(TaskAction.REASSIGN, TaskStatus.OPEN);
        TABLE.put(TaskStatus.CLAIMED, claimed);
    }

    private TaskTransitions() {
    }

    /** The status {@code action} leads to from {@code from}; empty when the table has no such transition. */
    public static Optional<TaskStatus> next(TaskStatus from, TaskAction action) {
        return Optional.ofNullable(TABLE.getOrDefault(from, Map.of()).get(action));
    }
}
