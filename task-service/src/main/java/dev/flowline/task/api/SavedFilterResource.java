package dev.flowline.task.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

import dev.flowline.servicekit.api.QueryParameters;
import dev.flowline.servicekit.problem.ProblemException;
import dev.flowline.servicekit.security.Roles;
import dev.flowline.task.domain.SavedFilters;
import dev.flowline.task.persistence.SavedFilterEntity;

/**
 * Saved inbox filters: mine and those shared with my roles. {@code GET /api/tasks?filter=<id>} lists with one (the
 * request's own parameters override the saved ones).
 */
@Path("/api/task-filters")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class SavedFilterResource {

    /** A saved filter: the list's query parameters by name, optionally shared with one role. */
    @RegisterForReflection
    public record SavedFilter(UUID id, String owner, String name, JsonNode query, String sharedWith,
            Instant createdAt, Instant updatedAt) {
        static SavedFilter of(SavedFilterEntity e) {
            return new SavedFilter(e.id, e.owner, e.name, e.query, e.sharedWith, e.createdAt, e.updatedAt);
        }
    }

    @RegisterForReflection
    public record SaveRequest(String name, JsonNode query, String sharedWith) {
    }

    @Inject
    SavedFilters filters;

    @Inject
    SecurityIdentity identity;

    @GET
    @Operation(summary = "My saved filters and those shared with my roles")
    public Uni<List<SavedFilter>> list() {
        return filters.visible(me(), identity.getRoles()).map(list -> list.stream().map(SavedFilter::of).toList());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One saved filter")
    public Uni<SavedFilter> get(@PathParam("id") String id) {
        return filters.get(QueryParameters.uuid("id", id), me(), identity.getRoles()).map(SavedFilter::of);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Save a filter (its query checked as the list reads it), optionally shared with a role")
    public Uni<Response> create(SaveRequest body) {
        SaveRequest request = body == null ? new SaveRequest(null, null, null) : body;
        return filters.create(me(), identity.getRoles(), request.name(), request.query(), QueryParameters.text(
                request.sharedWith())).map(
                        saved -> Response.status(201).entity(SavedFilter.of(saved)).header(
                                "Location", "/api/task-filters/" + saved.id).build());
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a saved filter (its owner)")
    public Uni<SavedFilter> update(@PathParam("id") String id, SaveRequest body) {
        if (body == null) {
            throw ProblemException.invalid("/name", "a saved filter needs a name");
        }
        return filters.update(QueryParameters.uuid("id", id), me(), identity.getRoles(), body.name(), body.query(),
                QueryParameters.text(body.sharedWith())).map(SavedFilter::of);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a saved filter (its owner)")
    public Uni<Response> delete(@PathParam("id") String id) {
        return filters.delete(QueryParameters.uuid("id", id), me()).map(ignored -> Response.noContent().build());
    }

    private String me() {
        return identity.getPrincipal().getName();
    }
}
