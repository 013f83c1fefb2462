package dev.flowline.task.domain;

import java.util.Collection;

/**
 * Who may do what to a task, beyond the endpoint's role (viewers read, operators act). A <em>candidate</em> holds one
 * of the task's candidate roles (admins are candidates of every task):
 *
 * <pre>
 * claim    a candidate
 * release  the assignee, or an admin
 * assign   a candidate (to any user), or an admin
 * resolve  the assignee; an admin also without claiming
 * cancel   an admin (and the service, when the run ends)
 * expire   the service
 * comment  a candidate or the assignee
 * </pre>
 */
public final class TaskPermissions {

    private TaskPermissions() {
    }

    /** Null when allowed; otherwise why not, for the 403. */
    public static String refusal(TaskAction action, Actor actor, String assignee, Collection<String> candidates) {
        boolean candidate = actor.admin() || candidates.stream().anyMatch(actor.roles()::contains);
        boolean holder = assignee != null && assignee.equals(actor.name());
        boolean allowed = switch (action) {
            case CLAIM -> candidate;
            case RELEASE -> holder || actor.admin();
            case ASSIGN -> candidate;
            case RESOLVE -> holder || actor.admin();
            case CANCEL -> actor.admin();
            case EXPIRE -> actor == Actor.SERVICE;
            case COMMENT -> candidate || holder;
        };
        if (allowed) {
            return null;
        }
        return switch (action) {
            case RELEASE, RESOLVE -> "only the assignee" + (assignee == null
                    ? " (nobody has claimed it)"
                    : " (" + assignee + ")") + " or an admin may " + action.word() + " this task";
            case CANCEL -> "only an admin may cancel a task";
            case EXPIRE -> "tasks expire by themselves";
            default -> "you hold none of the task's candidate roles " + candidates;
        };
    }
}
