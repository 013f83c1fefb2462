package dev.flowline.catalog.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
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

import io.smallrye.mutiny.Uni;

import dev.flowline.catalog.domain.DefinitionService;
import dev.flowline.catalog.domain.EventTypeDrafts;
import dev.flowline.contracts.CatalogKind;
import dev.flowline.servicekit.security.Roles;

/** The event registry: drafts of event types, publication, lookup. */
@Path("/api/event-types/{type}/versions/{version}")
@Produces(MediaType.APPLICATION_JSON)
public class EventTypeResource {

    @Inject
    DefinitionService definitions;

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.EDITOR)
    @Operation(summary = "Create or replace a draft event-type version")
    public Uni<Response> saveDraft(@PathParam("type") String type, @PathParam("version") String version,
            JsonNode body) {
        JsonNode document = EventTypeDrafts.validate(type, version, body);
        return definitions.saveDraft(CatalogKind.EVENT_TYPE, type, version, document)
                .map(saved -> Response.status(saved.created() ? 201 : 200)
                        .entity(DefinitionView.of(saved.definition())).build());
    }

    @POST
    @Path("/publish")
    @RolesAllowed(Roles.EDITOR)
    @Operation(summary = "Publish a draft: it becomes immutable and is announced on catalog-changes")
    public Uni<DefinitionView> publish(@PathParam("type") String type, @PathParam("version") String version) {
        return definitions.publish(CatalogKind.EVENT_TYPE, type, version).map(DefinitionView::of);
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "One event-type version")
    public Uni<DefinitionView> get(@PathParam("type") String type, @PathParam("version") String version) {
        return definitions.get(CatalogKind.EVENT_TYPE, type, version).map(DefinitionView::of);
    }
}
