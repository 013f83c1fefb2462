package dev.flowline.task.domain;

/**
 * Who may do what to a task, beyond the endpoint's role (viewers read, operators act). A <em>candidate</em> holds one
 * of the task's candidate roles or is one of its candidate users (admins are candidates of every task):
 *
 * <pre>
 * claim    a candidate
 * release  the assignee, or an admin
 * assign   a candidate (to any user), or an admin
 * resolve  the assignee; an admin also without claiming
 * cancel   an admin (and the service, when the run ends)
 * expire   the service
 * comment  a candidate or the assignee
 * escalate the service (the type's escalation rules)
 * reassign the service (an escalation rule that hands the task to another role)
 * </pre>
 */
public final class TaskPermissions {

    private TaskPermissions() {
    }

    /** Null when allowed; otherwise why not, for the 403. */
    public static String refusal(TaskAction action, Actor actor, String assignee, TaskTypes.Candidates candidates) {
        boolean candidate = actor.admin() || candidates.roles().stream().anyMatch(actor.roles()::contains)
                || candidates.users().contains(actor.name());
        boolean holder = assignee != null && assignee.equals(actor.name());
        boolean allowed = switch (action) {
            case CLAIM -> candidate;
            case RELEASE -> holder || actor.admin();
            case ASSIGN -> candidate;
            case RESOLVE -> holder || actor.admin();
            case CANCEL -> actor.admin();
            case EXPIRE, ESCALATE, REASSIGN -> actor == Actor.SERVICE;
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
            case ESCALATE, REASSIGN -> "tasks escalate by their type's rules";
            default -> "you are none of the task's candidate users " + candidates.users()
                    + " and hold none of its candidate roles " + candidates.roles();
        };
    }
}
