package dev.flowline.uiconfig.client;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;

/**
 * task-service's API as ui-config-service reads it: a task and a task type, with the caller's own token (so a view
 * shows only what its user may read). A task or type that does not exist is null; see {@link ServiceApi} for the rest.
 */
@ApplicationScoped
public class TaskServiceClient {

    @ConfigProperty(name = "flowline.ui.tasks-url")
    String tasksUrl;

    @Inject
    ObjectMapper json;

    private ServiceApi api;

    @PostConstruct
    void init() {
        api = new ServiceApi("task-service", tasksUrl, json);
    }

    /** {@code GET /api/tasks/{id}}; null when there is no such task. */
    public Uni<JsonNode> task(String id, String bearer) {
        return api.get("/api/tasks/" + ServiceApi.encode(id), bearer);
    }

    /** {@code GET /api/task-types/{type}}; null when no published step declares it. */
    public Uni<JsonNode> taskType(String typeId, String bearer) {
        return api.get("/api/task-types/" + ServiceApi.encode(typeId), bearer);
    }
}
