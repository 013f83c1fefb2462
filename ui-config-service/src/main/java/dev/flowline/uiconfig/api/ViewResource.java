package dev.flowline.uiconfig.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

import dev.flowline.servicekit.problem.ProblemException;
import dev.flowline.servicekit.security.Roles;
import dev.flowline.uiconfig.domain.ViewValidation;
import dev.flowline.uiconfig.domain.ViewVersions;

/** Task views in versions: editors save drafts and publish; everyone reads and validates. */
@Path("/api/views/{name}/versions")
@Produces(MediaType.APPLICATION_JSON)
public class ViewResource {

    @Inject
    ViewVersions views;

    @Inject
    SecurityIdentity identity;

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Every version of a view, oldest first")
    public Uni<List<ViewDtos.ViewVersionView>> versions(@PathParam("name") String name) {
        return views.versions(name).map(all -> all.stream().map(ViewDtos.ViewVersionView::of).toList());
    }

    @GET
    @Path("/{version}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "One version of a view")
    public Uni<ViewDtos.ViewVersionView> get(@PathParam("name") String name, @PathParam("version") int version) {
        return views.get(name, version).map(ViewDtos.ViewVersionView::of);
    }

    @PUT
    @Path("/{version}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.EDITOR)
    @Operation(summary = "Create (201) or replace (200) a draft, checked when saved (422 with pointers); 409 once "
            + "published")
    public Uni<Response> save(@PathParam("name") String name, @PathParam("version") int version, JsonNode view,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String bearer) {
        return views.save(name, version, view, identity.getPrincipal().getName(), bearer).map(saved -> Response
                .status(saved.created() ? 201 : 200).entity(ViewDtos.ViewVersionView.of(saved.view())).build());
    }

    @POST
    @Path("/{version}/publish")
    @RolesAllowed(Roles.EDITOR)
    @Operation(summary = "Publish a draft: it never changes again; tasks opened from now on draw it")
    public Uni<ViewDtos.ViewVersionView> publish(@PathParam("name") String name, @PathParam("version") int version) {
        return views.publish(name, version).map(ViewDtos.ViewVersionView::of);
    }

    @POST
    @Path("/{version}/validate")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The server-side validation of form data on this view: messages per JSON pointer, and the "
            + "data as it would be submitted (hidden fields dropped)")
    public Uni<ViewDtos.Validation> validate(@PathParam("name") String name, @PathParam("version") int version,
            ViewDtos.ValidateRequest request) {
        if (request == null || request.data() != null && !request.data().isObject()) {
            throw ProblemException.invalid("/data", "the form data, an object");
        }
        return views.get(name, version).map(view -> ViewDtos.Validation.of(ViewValidation.validate(view.document,
                request.data(), request.task())));
    }
}
