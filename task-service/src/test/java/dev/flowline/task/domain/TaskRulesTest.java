package dev.flowline.task.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.flowline.servicekit.security.Roles;

/** The lifecycle and permission tables, cell by cell, as docs/tasks.md shows them. */
class TaskRulesTest {

    /**
     * Row per status, column per action (claim, release, assign, resolve, cancel, expire, comment, escalate,
     * reassign); null: refused.
     */
    static final Map<TaskStatus, TaskStatus[]> TRANSITIONS = new EnumMap<>(TaskStatus.class);

    static {
        TaskStatus o = TaskStatus.OPEN;
        TaskStatus c = TaskStatus.CLAIMED;
        TRANSITIONS.put(o, new TaskStatus[]{c, null, c, TaskStatus.RESOLVED, TaskStatus.CANCELLED,
                TaskStatus.EXPIRED, o, o, o});
        TRANSITIONS.put(c, new TaskStatus[]{null, o, c, TaskStatus.RESOLVED, TaskStatus.CANCELLED,
                TaskStatus.EXPIRED, c, c, o});
        for (TaskStatus ended : List.of(TaskStatus.RESOLVED, TaskStatus.CANCELLED, TaskStatus.EXPIRED)) {
            TRANSITIONS.put(ended, new TaskStatus[TaskAction.values().length]);
        }
    }

    @Test
    void everyCellOfTheTransitionTableIsAsDocumented() {
        for (TaskStatus from : TaskStatus.values()) {
            for (TaskAction action : TaskAction.values()) {
                assertThat(TaskTransitions.next(from, action).orElse(null)).as(from + " + " + action).isEqualTo(
                        TRANSITIONS.get(from)[action.ordinal()]);
            }
        }
    }

    @Test
    void anEndedTaskTakesNoActionAtAll() {
        for (TaskAction action : TaskAction.values()) {
            assertThat(TaskTransitions.next(TaskStatus.RESOLVED, action)).isEmpty();
        }
        assertThat(TaskStatus.RESOLVED.ended()).isTrue();
        assertThat(TaskStatus.CLAIMED.ended()).isFalse();
    }

    static final TaskTypes.Candidates CANDIDATES = new TaskTypes.Candidates(List.of("flowline-finance"), List.of(
            "una"));
    static final Actor CANDIDATE_USER = new Actor("una", Set.of(Roles.OPERATOR));
    static final Actor CANDIDATE = new Actor("fiona", Set.of(Roles.OPERATOR, Roles.VIEWER, "flowline-finance"));
    static final Actor OTHER_CANDIDATE = new Actor("frank", Set.of(Roles.OPERATOR, "flowline-finance"));
    static final Actor OUTSIDER = new Actor("otto", Set.of(Roles.OPERATOR, Roles.VIEWER));
    static final Actor ADMIN = new Actor("ada", Set.of(Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER));

    /**
     * Per action: allowed for the assignee (fiona holds the task), another candidate, a candidate user (una, by
     * name), an outsider, an admin, the service.
     */
    static final Map<TaskAction, boolean[]> PERMISSIONS = new EnumMap<>(Map.of(
            TaskAction.CLAIM, new boolean[]{true, true, true, false, true, true},
            TaskAction.RELEASE, new boolean[]{true, false, false, false, true, true},
            TaskAction.ASSIGN, new boolean[]{true, true, true, false, true, true},
            TaskAction.RESOLVE, new boolean[]{true, false, false, false, true, true},
            TaskAction.CANCEL, new boolean[]{false, false, false, false, true, true},
            TaskAction.EXPIRE, new boolean[]{false, false, false, false, false, true},
            TaskAction.COMMENT, new boolean[]{true, true, true, false, true, true},
            TaskAction.ESCALATE, new boolean[]{false, false, false, false, false, true},
            TaskAction.REASSIGN, new boolean[]{false, false, false, false, false, true}));

    @Test
    void everyCellOfThePermissionTableIsAsDocumented() {
        List<Actor> actors = List.of(CANDIDATE, OTHER_CANDIDATE, CANDIDATE_USER, OUTSIDER, ADMIN, Actor.SERVICE);
        for (TaskAction action : TaskAction.values()) {
            for (int i = 0; i < actors.size(); i++) {
                String refusal = TaskPermissions.refusal(action, actors.get(i), "fiona", CANDIDATES);
                assertThat(refusal == null).as(action + " by " + actors.get(i).name() + ": " + refusal).isEqualTo(
                        PERMISSIONS.get(action)[i]);
            }
        }
    }

    @Test
    void aRefusalSaysWhoMay() {
        assertThat(TaskPermissions.refusal(TaskAction.CLAIM, OUTSIDER, null, CANDIDATES)).contains(
                "flowline-finance");
        assertThat(TaskPermissions.refusal(TaskAction.RESOLVE, OTHER_CANDIDATE, "fiona", CANDIDATES)).contains(
                "fiona");
        assertThat(TaskPermissions.refusal(TaskAction.RESOLVE, OTHER_CANDIDATE, null, CANDIDATES)).contains(
                "nobody has claimed it");
    }
}
