package dev.flowline.trigger.api;

import java.time.Instant;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

import dev.flowline.servicekit.problem.ProblemException;
import dev.flowline.servicekit.security.Roles;
import dev.flowline.trigger.domain.CommandService;
import dev.flowline.trigger.persistence.CommandEntity;

/** Commands: start a known workflow with validated parameters, and follow what became of it. */
@Path("/api/commands")
@Produces(MediaType.APPLICATION_JSON)
public class CommandResource {

    /** A command and where it came from. */
    @RegisterForReflection
    public record CommandView(UUID id, String workflow, String workflowVersion, JsonNode parameters, String source,
            String requestedBy, UUID triggerId, String eventId, UUID scheduleId, Instant slot, String runId,
            String runStatus, String runDetail, Instant runUpdatedAt, Instant createdAt, String self) {
        static CommandView of(CommandEntity c) {
            return new CommandView(c.id, c.workflow, c.workflowVersion, c.parameters, c.sourceType.toLowerCase(),
                    c.requestedBy, c.triggerId, c.eventId, c.scheduleId, c.slot, c.runId,
                    c.runStatus, c.runDetail, c.runUpdatedAt, c.createdAt,
                    "/api/commands/" + c.id);
        }
    }

    @Inject
    CommandService commands;

    @Inject
    SecurityIdentity identity;

    @POST
    @Path("/{workflow}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.EDITOR})
    @Operation(summary = "Start a workflow: the parameters are validated against its input schema; an "
            + "Idempotency-Key makes a retried request answer the same command")
    public Uni<Response> send(@PathParam("workflow") String workflow, @QueryParam("version") String version,
            @HeaderParam("Idempotency-Key") String idempotencyKey, JsonNode body) {
        JsonNode parameters = body == null ? JsonNodeFactory.instance.objectNode() : body;
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            throw ProblemException.badParameter("Idempotency-Key", "must be 1 to 200 characters");
        }
        return commands.send(workflow, version, parameters, identity.getPrincipal().getName(), idempotencyKey)
                .map(command -> Response.accepted(CommandView.of(command))
                        .header("Location", "/api/commands/" + command.id).build());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "A command, its source and (once the bridge reports it) its run")
    public Uni<CommandView> get(@PathParam("id") UUID id) {
        return Panache.withSession(() -> commands.find(id)).map(command -> {
            if (command == null) {
                throw ProblemException.notFound("command " + id + " does not exist");
            }
            return CommandView.of(command);
        });
    }
}
