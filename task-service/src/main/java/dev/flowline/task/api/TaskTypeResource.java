package dev.flowline.task.api;

import java.util.List;
import java.util.Locale;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

import dev.flowline.servicekit.security.Roles;
import dev.flowline.task.domain.TaskTypeOverride;
import dev.flowline.task.domain.TaskTypes;

/** Task types (derived from the catalog, no code) and their overrides; editors override, viewers read. */
@Path("/api/task-types")
@Produces(MediaType.APPLICATION_JSON)
public class TaskTypeResource {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    public record EscalationView(String after, String reassignTo, Integer raisePriorityTo,
            @JsonProperty("notify") boolean notifyPeople) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    public record ExpiryView(String action, JsonNode output, String reason) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    public record TaskTypeView(String id, String step, String code, String message, JsonNode dataSchema,
            JsonNode inputSchema, JsonNode outputSchema, List<String> candidates, List<String> candidateUsers,
            String candidateRolesFrom,
            String candidateUsersFrom, List<String> allowedActions, int version, String title, String description,
            Integer priority, String dueIn, List<EscalationView> escalations, ExpiryView onExpiry) {
        static TaskTypeView of(TaskTypes.TaskType t) {
            TaskTypeOverride o = t.override();
            return new TaskTypeView(t.id(), t.step(), t.code(), t.message(), t.dataSchema(), t.inputSchema(), t
                    .outputSchema(), t.candidates(),
                    o
                            .candidateUsers(),
                    text(o.candidateRolesFrom()), text(o.candidateUsersFrom()),
                    t.allowed()
                            .stream().map(a -> word(a)).sorted().toList(),
                    t.version(), o.title(), o.description(), o.priority(), text(o.dueIn()), o.escalations().stream()
                            .map(e -> new EscalationView(e.after().toString(), e.reassignTo(), e.raisePriorityTo(), e
                                    .notifyPeople()))
                            .toList(),
                    new ExpiryView(word(o.onExpiry().action()), o.onExpiry().output(), o.onExpiry().reason()));
        }

        private static String text(Object value) {
            return value == null ? null : value.toString();
        }

        private static String word(Enum<?> value) {
            return value.name().toLowerCase(Locale.ROOT);
        }
    }

    @RegisterForReflection
    public record OverrideSaved(String typeId, int version) {
    }

    @Inject
    TaskTypes types;

    @Inject
    SecurityIdentity identity;

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Every task type the published steps declare, with its latest override")
    public Uni<List<TaskTypeView>> list() {
        return types.all().map(all -> all.stream().map(TaskTypeView::of).toList());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "One task type (<step>:<CODE>) with its latest override")
    public Uni<TaskTypeView> get(@PathParam("id") String id) {
        return types.get(id).map(TaskTypeView::of);
    }

    @PUT
    @Path("/{id}/override")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.EDITOR)
    @Operation(summary = "Save a new version of the type's overrides (title template, candidates, allowed actions, "
            + "priority, dueIn), checked against the type; tasks opened from now on use it")
    public Uni<Response> override(@PathParam("id") String id, JsonNode document) {
        return types.saveOverride(id, document, identity.getPrincipal().getName()).map(saved -> Response.status(201)
                .entity(new OverrideSaved(id, saved.key.version())).build());
    }
}
