package dev.flowline.trigger.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;

import dev.flowline.servicekit.problem.ProblemException;
import dev.flowline.servicekit.security.Roles;
import dev.flowline.trigger.domain.EventProcessor;
import dev.flowline.trigger.domain.TriggerService;
import dev.flowline.trigger.domain.TriggerSpec;
import dev.flowline.trigger.persistence.TriggerEntity;

/** Triggers: database-configured reactions of workflows to events. */
@Path("/api/triggers")
@Produces(MediaType.APPLICATION_JSON)
public class TriggerResource {

    /** A trigger as the API shows it. */
    @RegisterForReflection
    public record TriggerView(UUID id, String eventType, String eventVersion, String workflow, String workflowVersion,
            JsonNode conditions, JsonNode parameters, String status, String description, int revision,
            Instant createdAt, Instant updatedAt) {
        static TriggerView of(TriggerEntity t) {
            return new TriggerView(t.id, t.eventType, t.eventVersionRange, t.workflow, t.workflowVersion,
                    t.conditions, t.parameters, t.status, t.description, t.revision, t.createdAt, t.updatedAt);
        }
    }

    /** A dry run: an event, and optionally a trigger that is not saved yet. */
    @RegisterForReflection
    public record DryRunRequest(@NotNull JsonNode event, @Valid TriggerSpec trigger) {
    }

    /** What would happen: whether the event would be accepted, and each trigger's result. */
    @RegisterForReflection
    public record DryRunResult(boolean accepted, String reason, List<JsonNode> errors, List<JsonNode> triggers) {
    }

    @Inject
    TriggerService service;

    @Inject
    EventProcessor processor;

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Every trigger, or those of one event type")
    public Uni<List<TriggerView>> list(@QueryParam("eventType") String eventType) {
        return service.list(eventType).map(all -> all.stream().map(TriggerView::of).toList());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    public Uni<TriggerView> get(@PathParam("id") UUID id) {
        return service.get(id).map(TriggerView::of);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.EDITOR)
    @Operation(summary = "Create a trigger (validated against the event schema and the workflow input)")
    public Uni<Response> create(@Valid @NotNull TriggerSpec request) {
        return service.create(request).map(t -> Response.status(201).entity(TriggerView.of(t))
                .header("Location", "/api/triggers/" + t.id).build());
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.EDITOR)
    public Uni<TriggerView> update(@PathParam("id") UUID id, @Valid @NotNull TriggerSpec request) {
        return service.update(id, request).map(TriggerView::of);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.EDITOR)
    public Uni<Response> delete(@PathParam("id") UUID id) {
        return service.delete(id).replaceWith(Response.noContent().build());
    }

    @POST
    @Path("/dry-run")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Which triggers would fire for an event, with which parameters; emits nothing")
    public Uni<DryRunResult> dryRun(@Valid @NotNull DryRunRequest request) {
        List<EventReader.Received> events = EventReader.read(request.event());
        if (events.size() != 1) {
            throw ProblemException.invalid("/event", "a dry run takes exactly one event");
        }
        return processor.dryRun(events.get(0).event(), request.trigger()).map(dryRun -> new DryRunResult(dryRun
                .accepted(), dryRun.reason(),
                dryRun.errors().stream().map(e -> (JsonNode) JsonNodeFactory.instance
                        .objectNode().put("pointer", e.pointer()).put("detail", e.detail())).toList(),
                List.copyOf(dryRun.triggers())));
    }
}
