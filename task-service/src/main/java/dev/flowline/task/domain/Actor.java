package dev.flowline.task.domain;

import java.util.Set;

import dev.flowline.servicekit.security.Roles;

/**
 * Who acts on a task: a person (their user name and roles, implied roles included) or the service itself.
 *
 * @param bearer the person's {@code Authorization} header, for the calls made on their behalf (their task's screen
 *        validates what they submit); null for the service
 */
public record Actor(String name, Set<String> roles, String bearer) {

    public static final Actor SERVICE = new Actor("task-service", Set.of(Roles.ADMIN), null);

    public Actor(String name, Set<String> roles) {
        this(name, roles, null);
    }

    public boolean admin() {
        return roles.contains(Roles.ADMIN);
    }
}
