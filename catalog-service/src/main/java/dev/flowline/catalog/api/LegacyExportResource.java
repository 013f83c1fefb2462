package dev.flowline.catalog.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

import dev.flowline.catalog.domain.DefinitionService;
import dev.flowline.catalog.domain.LegacyWorkflows;
import dev.flowline.contracts.CatalogKind;
import dev.flowline.definitions.WorkflowDefinition;
import dev.flowline.servicekit.security.Roles;

/** A workflow in the legacy state-machine format, for systems that still read it. */
@Path("/api/workflows/{name}/versions/{version}/legacy")
@Produces(MediaType.APPLICATION_JSON)
public class LegacyExportResource {

    @Inject
    DefinitionService definitions;

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "A workflow in the legacy format, for systems that still read it")
    public Uni<JsonNode> export(@PathParam("name") String name, @PathParam("version") String version) {
        return definitions.get(CatalogKind.WORKFLOW, name, version).map(entity -> WorkflowDefinition.parse(
                entity.document)).flatMap(workflow -> definitions.stepsOf(workflow).map(
                        steps -> LegacyWorkflows
                                .export(workflow, steps)));
    }
}
