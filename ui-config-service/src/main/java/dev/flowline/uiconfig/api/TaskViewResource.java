package dev.flowline.uiconfig.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smallrye.mutiny.Uni;

import dev.flowline.servicekit.problem.ProblemException;
import dev.flowline.servicekit.security.Roles;
import dev.flowline.uiconfig.domain.TaskScreens;

/** A task's screen (its view, the task, the initial data) and the validation of what is submitted on it. */
@Path("/api/task-views/{taskId}")
@Produces(MediaType.APPLICATION_JSON)
public class TaskViewResource {

    @Inject
    TaskScreens screens;

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The task's screen in one call: its view (configured or generated from its type), the task "
            + "as the view's rules read it, and the form data it starts with")
    public Uni<ViewDtos.ScreenView> get(@PathParam("taskId") String taskId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String bearer) {
        return screens.forTask(taskId, bearer).map(ViewDtos.ScreenView::of);
    }

    @POST
    @Path("/validate")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Validate form data on the task's screen (task-service on resolve, the renderer before "
            + "submit): messages per JSON pointer")
    public Uni<ViewDtos.Validation> validate(@PathParam("taskId") String taskId, ViewDtos.ValidateRequest request,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String bearer) {
        if (request == null || request.data() != null && !request.data().isObject()) {
            throw ProblemException.invalid("/data", "the form data, an object");
        }
        return screens.validate(taskId, request.data(), bearer).map(ViewDtos.Validation::of);
    }
}
