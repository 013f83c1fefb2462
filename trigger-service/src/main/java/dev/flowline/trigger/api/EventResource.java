package dev.flowline.trigger.api;

import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import dev.flowline.servicekit.problem.Problem.FieldError;
import dev.flowline.servicekit.problem.ProblemException;
import dev.flowline.servicekit.security.Roles;
import dev.flowline.trigger.domain.EventProcessor;
import dev.flowline.trigger.persistence.EventRecord;

/** Event intake over HTTP, and what became of an event. */
@Path("/api/events")
@Produces(MediaType.APPLICATION_JSON)
public class EventResource {

    /** One accepted event: its id, and whether it was new. */
    @RegisterForReflection
    public record Accepted(String id, boolean accepted, boolean duplicate, List<String> commandIds) {
    }

    @RegisterForReflection
    public record AcceptedEvents(List<Accepted> events) {
    }

    @RegisterForReflection
    public record Evaluation(String eventId, String eventType, String source, String outcome, String reason,
            java.time.Instant receivedAt, JsonNode evaluation) {
    }

    @Inject
    EventProcessor processor;

    /** The most events one request may carry: a batch is checked and answered as a whole. */
    @ConfigProperty(name = "flowline.events.max-batch", defaultValue = "500")
    int maxBatch;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.SERVICE})
    @Operation(summary = "Send one event or a batch (or the legacy events.trigger envelope); 202 when all are "
            + "accepted, else 422 listing every rejected event and nothing is accepted")
    public Uni<Response> receive(JsonNode body) {
        if (body == null) {
            throw ProblemException.invalid("", "an event or a list of events is required");
        }
        List<EventReader.Received> received = EventReader.read(body, maxBatch);
        return Multi.createFrom().iterable(received)
                .onItem().transformToUniAndConcatenate(r -> processor.check(r.event())
                        .map(verdict -> verdict.accepted()
                                ? List.<FieldError>of()
                                : verdict.errors().stream().map(e -> new FieldError(r.pointer() + e.pointer(),
                                        verdict.reason() + ": " + e.detail())).toList()))
                .collect().asList().flatMap(perEvent -> {
                    List<FieldError> errors = new ArrayList<>();
                    perEvent.forEach(errors::addAll);
                    if (!errors.isEmpty()) {
                        throw ProblemException.invalid(errors);
                    }
                    return Multi.createFrom().iterable(received)
                            .onItem().transformToUniAndConcatenate(r -> processor.process(r.event(), r.raw(), false))
                            .map(o -> new Accepted(o.eventId(), o.status() != EventProcessor.Status.REJECTED,
                                    o.status() == EventProcessor.Status.DUPLICATE,
                                    o.commandIds().stream().map(Object::toString).toList()))
                            .collect().asList();
                }).map(accepted -> Response.accepted(new AcceptedEvents(accepted)).build());
    }

    @GET
    @Path("/{id}/evaluation")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Which triggers an event fired and which not, with the first failing condition of each")
    public Uni<Evaluation> evaluation(@PathParam("id") String id) {
        return Panache.withSession(() -> EventRecord.<EventRecord>findById(id)).map(record -> {
            if (record == null) {
                throw ProblemException.notFound("event " + id + " has not been received");
            }
            return new Evaluation(record.eventId, record.eventType, record.source, record.outcome, record.reason,
                    record.receivedAt, record.evaluation);
        });
    }
}
