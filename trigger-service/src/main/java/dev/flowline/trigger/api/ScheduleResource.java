package dev.flowline.trigger.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;

import dev.flowline.servicekit.security.Roles;
import dev.flowline.trigger.domain.ScheduleService;
import dev.flowline.trigger.domain.ScheduleSpec;
import dev.flowline.trigger.persistence.ScheduleEntity;

/** Schedules: workflows started on a cron, once per slot however many instances run. */
@Path("/api/schedules")
@Produces(MediaType.APPLICATION_JSON)
public class ScheduleResource {

    /** A schedule as the API shows it. */
    @RegisterForReflection
    public record ScheduleView(UUID id, String cron, String timeZone, String workflow, String workflowVersion,
            JsonNode parameters, String status, String misfire, String overlap, String description, int revision,
            Instant lastSlot, String lastFailure, Instant lastFailureAt, Instant createdAt, Instant updatedAt) {
        static ScheduleView of(ScheduleEntity s) {
            return new ScheduleView(s.id, s.cron, s.timeZone, s.workflow, s.workflowVersion, s.parameters, s.status,
                    s.misfire, s.overlap, s.description, s.revision, s.lastSlot, s.lastFailure, s.lastFailureAt,
                    s.createdAt, s.updatedAt);
        }
    }

    @Inject
    ScheduleService service;

    @GET
    @RolesAllowed(Roles.VIEWER)
    public Uni<List<ScheduleView>> list() {
        return service.list().map(all -> all.stream().map(ScheduleView::of).toList());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    public Uni<ScheduleView> get(@PathParam("id") UUID id) {
        return service.get(id).map(ScheduleView::of);
    }

    @GET
    @Path("/{id}/next")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The next fire times")
    public Uni<List<Instant>> next(@PathParam("id") UUID id,
            @QueryParam("count") @DefaultValue("5") @Min(1) @Max(100) int count) {
        return service.get(id).map(s -> ScheduleService.next(s, count));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.EDITOR)
    public Uni<Response> create(@Valid @NotNull ScheduleSpec request) {
        return service.create(request).map(s -> Response.status(201).entity(ScheduleView.of(s))
                .header("Location", "/api/schedules/" + s.id).build());
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.EDITOR)
    public Uni<ScheduleView> update(@PathParam("id") UUID id, @Valid @NotNull ScheduleSpec request) {
        return service.update(id, request).map(ScheduleView::of);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.EDITOR)
    public Uni<Response> delete(@PathParam("id") UUID id) {
        return service.delete(id).replaceWith(Response.noContent().build());
    }
}
