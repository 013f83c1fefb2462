package dev.flowline.task.domain;

import java.util.Set;

import dev.flowline.servicekit.security.Roles;

/**
 * Who acts on a task: a person (their user name and roles, implied roles included) or the service itself.
 */
public record Actor(String name, Set<String> roles) {

    public static final Actor SERVICE = new Actor("task-service", Set.of(Roles.ADMIN));

    public boolean admin() {
        return roles.contains(Roles.ADMIN);
    }
}
