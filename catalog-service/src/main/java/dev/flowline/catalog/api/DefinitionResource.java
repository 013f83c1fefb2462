package dev.flowline.catalog.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
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
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;

import dev.flowline.catalog.domain.DefinitionService;
import dev.flowline.catalog.domain.DefinitionValidator;
import dev.flowline.contracts.CatalogKind;
import dev.flowline.contracts.Versions;
import dev.flowline.definitions.VersionLifecycle;
import dev.flowline.servicekit.api.QueryParameters;
import dev.flowline.servicekit.problem.ProblemException;
import dev.flowline.servicekit.security.Roles;

/**
 * Steps, workflows and event types share one API shape: {@code /api/steps}, {@code /api/workflows},
 * {@code /api/event-types}.
 */
@Path("/api/{collection: steps|workflows|event-types}")
@Produces(MediaType.APPLICATION_JSON)
public class DefinitionResource {

    /** A page of definition versions. */
    @RegisterForReflection
    public record PageView(List<DefinitionView> items, int page, int size, long total) {
    }

    @Inject
    DefinitionService definitions;

    @Inject
    DefinitionValidator validator;

    static CatalogKind kind(String collection) {
        // The path's pattern admits only the three collections.
        return CatalogKind.fromCollection(collection).orElseThrow();
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "List definition versions, filtered by a text in the name and a status; with newest=true, "
            + "the newest listed version of each name (paged and counted by name)")
    public Uni<PageView> list(@PathParam("collection") String collection,
            @QueryParam("q") @Parameter(description = "text the name contains") String q,
            @QueryParam("status") @Parameter(description = "draft, published or deprecated") String status,
            @QueryParam("newest") @Parameter(description = "true: one version a name, the newest listed") String newest,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(200) int size) {
        return definitions.list(kind(collection), q, QueryParameters.enumValue("status", status,
                VersionLifecycle.Status.class), QueryParameters.flag("newest", newest), page, size).map(
                        listing -> new PageView(listing.items().stream().map(DefinitionView::of).toList(), page, size,
                                listing.total()));
    }

    @GET
    @Path("/{name}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "With ?range=: the newest published version in the range; without: every version")
    public Uni<Response> versions(@PathParam("collection") String collection, @PathParam("name") String name,
            @QueryParam("range") @Parameter(description = "npm-style range: ^1.2, ~1.2.3, >=1.0.0 <2.0.0") String range) {
        CatalogKind kind = kind(collection);
        if (range != null) {
            if (!Versions.isValidRange(range)) {
                throw ProblemException.badParameter("range", "'" + range + "' is not a version range");
            }
            return definitions.resolve(kind, name, range).map(d -> Response.ok(DefinitionView.of(d)).build());
        }
        return definitions.versions(kind, name).map(all -> {
            if (all.isEmpty()) {
                throw ProblemException.notFound(kind.wireName() + " " + name + " does not exist");
            }
            return Response.ok(all.stream().map(DefinitionView::of).toList()).build();
        });
    }

    @PUT
    @Path("/{name}/versions/{version}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.EDITOR)
    @Operation(summary = "Create or replace a draft version (validated when saved)")
    public Uni<Response> saveDraft(@PathParam("collection") String collection, @PathParam("name") String name,
            @PathParam("version") String version, JsonNode body) {
        CatalogKind kind = kind(collection);
        JsonNode document = validator.validateDraft(kind, name, version, body);
        return definitions.saveDraft(new DefinitionService.Draft(kind, name, version, document))
                .map(saved -> Response.status(saved.created() ? 201 : 200)
                        .entity(DefinitionView.of(saved.definition())).build());
    }

    @GET
    @Path("/{name}/versions/{version}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "One version")
    public Uni<DefinitionView> get(@PathParam("collection") String collection, @PathParam("name") String name,
            @PathParam("version") String version) {
        return definitions.get(kind(collection), name, version).map(DefinitionView::of);
    }

    @POST
    @Path("/{name}/versions/{version}/publish")
    @RolesAllowed(Roles.EDITOR)
    @Operation(summary = "Publish a draft after the publish checks; it becomes immutable and is announced on "
            + "catalog-changes")
    public Uni<DefinitionView> publish(@PathParam("collection") String collection, @PathParam("name") String name,
            @PathParam("version") String version) {
        return definitions.publish(kind(collection), name, version).map(DefinitionView::of);
    }

    @POST
    @Path("/{name}/versions/{version}/deprecate")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Deprecate a published version")
    public Uni<DefinitionView> deprecate(@PathParam("collection") String collection, @PathParam("name") String name,
            @PathParam("version") String version) {
        return definitions.deprecate(kind(collection), name, version).map(DefinitionView::of);
    }
}
