package dev.flowline.uiconfig.api;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

import dev.flowline.servicekit.api.QueryParameters;
import dev.flowline.servicekit.security.Roles;
import dev.flowline.uiconfig.domain.DataSources;

/** Named data sources: editors define them, every screen queries them (search, paging, parameters). */
@Path("/api/data-sources/{name}")
@Produces(MediaType.APPLICATION_JSON)
public class DataSourceResource {

    @RegisterForReflection
    public record DataSourceView(String name, JsonNode definition) {
    }

    @RegisterForReflection
    public record Page(List<DataSources.Item> items, boolean next) {
    }

    @Inject
    DataSources sources;

    @Inject
    SecurityIdentity identity;

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.EDITOR)
    @Operation(summary = "Define or replace a data source (static items, an HTTP endpoint on the allow-list, or a "
            + "catalog collection), "
            + "checked when saved")
    public Uni<Response> save(@PathParam("name") String name, JsonNode definition) {
        return sources.save(name, definition, identity.getPrincipal().getName()).map(saved -> Response.ok(
                new DataSourceView(saved.name, saved.document)).build());
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "A data source's definition")
    public Uni<DataSourceView> get(@PathParam("name") String name) {
        return sources.get(name).map(s -> new DataSourceView(s.name, s.document));
    }

    @GET
    @Path("/query")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "One page of the source's items: q (search), page (from 0), size (1-100), sort (member or "
            + "-member), rows (true: each item with the source's whole item, for tables), and the source's declared parameters by name (an "
            + "http source's URL values, a static source's filters); a catalog source is asked with the caller's token")
    public Uni<Page> query(@PathParam("name") String name, @Context UriInfo uri,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String bearer) {
        Map<String, String> params = new HashMap<>();
        uri.getQueryParameters().forEach((key, values) -> params.put(key, values.get(0)));
        Integer page = QueryParameters.integer("page", params.remove("page"), 0, 10_000);
        Integer size = QueryParameters.integer("size", params.remove("size"), 1, 100);
        boolean rows = QueryParameters.flag("rows", params.remove("rows"));
        DataSources.Sort sort = DataSources.Sort.parse(QueryParameters.text(params.remove("sort")));
        return sources.query(name, QueryParameters.text(params.remove("q")), page == null ? 0 : page, size == null
                ? 20
                : size, sort, params, rows, bearer).map(p -> new Page(p.items(), p.next()));
    }
}
