package dev.flowline.trigger.api;

import java.time.Instant;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;

import dev.flowline.catalogcache.CatalogCache;
import dev.flowline.contracts.CatalogChange;
import dev.flowline.contracts.CatalogKind;
import dev.flowline.servicekit.problem.ProblemException;
import dev.flowline.servicekit.problem.ProblemType;
import dev.flowline.servicekit.security.Roles;

/** What this service currently knows of the catalog: for operators checking that a definition has arrived. */
@Path("/api/catalog-cache/{kind}/{name}/versions/{version}")
@Produces(MediaType.APPLICATION_JSON)
public class CatalogCacheResource {

    /** A cached definition version. */
    @RegisterForReflection
    public record CachedDefinition(String kind, String name, String version, CatalogChange.Status status,
            JsonNode definition, Instant changedAt, Instant receivedAt) {
    }

    @Inject
    CatalogCache cache;

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "A definition version as this service's cache holds it")
    public Uni<CachedDefinition> get(@PathParam("kind") String kind, @PathParam("name") String name,
            @PathParam("version") String version) {
        CatalogKind catalogKind;
        try {
            catalogKind = CatalogKind.fromWireName(kind);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.NOT_FOUND, "unknown kind '" + kind
                    + "'; kinds are step, workflow, event-type");
        }
        return cache.find(catalogKind, name, version).onItem().ifNull()
                .failWith(() -> ProblemException.notFound(kind + " " + name + " version " + version
                        + " is not in the cache"))
                .map(e -> new CachedDefinition(e.key.kind(), e.key.name(), e.key.version(), e.status, e.definition,
                        e.changedAt, e.receivedAt));
    }
}
