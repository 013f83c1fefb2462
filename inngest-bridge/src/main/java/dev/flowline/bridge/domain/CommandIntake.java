package dev.flowline.bridge.domain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

import dev.flowline.bridge.inngest.EventSender;
import dev.flowline.bridge.inngest.InngestClient;
import dev.flowline.catalogcache.CachedDefinition;
import dev.flowline.catalogcache.CatalogCache;
import dev.flowline.contracts.Topics;
import dev.flowline.contracts.WorkflowCommand;
import dev.flowline.contracts.WorkflowRunUpdate;
import dev.flowline.definitions.WorkflowDefinition;
import dev.flowline.outbox.Outbox;
import dev.flowline.outbox.OutboxMessage;

/**
 * Turns commands into Inngest events. The command id is the event id, so a redelivered or duplicated command never
 * starts a second run (Inngest starts one run per event id). A command for a workflow with no published version is
 * answered on the lifecycle topic as failed, so the command shows why.
 */
@ApplicationScoped
public class CommandIntake {

    private static final Logger LOG = Logger.getLogger(CommandIntake.class);

    @Inject
    WorkflowFunctions functions;

    @Inject
    CatalogCache catalog;

    @Inject
    EventSender inngest;

    @Inject
    Outbox outbox;

    @Inject
    ObjectMapper json;

    /**
     * How long a command for a workflow this service does not know yet is retried before it is refused: the catalog
     * reaches this cache and trigger-service's on different topics, so a command may arrive first.
     */
    @ConfigProperty(name = "flowline.runner.unknown-workflow-grace", defaultValue = "2m")
    Duration unknownWorkflowGrace;

    /** What is worth trying again later: Inngest unreachable or failing, a workflow not known yet, the database. */
    public static class RetryLater extends RuntimeException {
        RetryLater(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Starts the command's run. What may work later (see {@link RetryLater}) is retried with backoff while the partition
     * waits; anything else refuses the command, so one bad command never stops the others.
     */
    public Uni<Void> accept(WorkflowCommand command) {
        return Uni.createFrom().<Void>item(() -> {
            handle(command);
            return null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure(RetryLater.class).invoke(e -> LOG.warnf("could not start the run of command %s, will "
                        + "retry: %s", command.commandId(), e.getMessage()))
                .onFailure(RetryLater.class).retry().withBackOff(Duration.ofMillis(500), Duration.ofSeconds(30))
                .indefinitely();
    }

    private void handle(WorkflowCommand command) {
        Optional<String> refused;
        try {
            refused = start(new RunRequest(command.commandId(), command.workflow(), command.workflowVersion(), command
                    .source(), null, null, null), command.parameters());
        } catch (RetryLater e) {
            throw e;
        } catch (RuntimeException e) {
            refused = Optional.of("the run cannot start: " + e.getMessage());
        }
        if (refused.isEmpty()) {
            return;
        }
        if (Instant.now().isBefore(command.createdAt().plus(unknownWorkflowGrace))) {
            throw new RetryLater(refused.get(), null);
        }
        String why = refused.get();
        try {
            Blocking.await(() -> refuse(command, why));
        } catch (RuntimeException e) {
            throw new RetryLater("could not record the refusal: " + e.getMessage(), e);
        }
    }

    /**
     * Sends the event that starts a run of {@code request} (blocking).
     *
     * @return why the run cannot start, or empty when the event was sent
     */
    public Optional<String> start(RunRequest request, JsonNode input) {
        Optional<WorkflowFunctions.Served> served = functions.find(request.workflow());
        if (served.isEmpty()) {
            // Published a moment ago: the cache may have it before the functions were rebuilt.
            functions.refreshAndSync();
            served = functions.find(request.workflow());
        }
        if (served.isEmpty()) {
            return Optional.of("workflow " + request.workflow() + " has no published version");
        }
        if (!functions.registered(served.get())) {
            functions.refreshAndSync();
            if (!functions.registered(served.get())) {
                throw new RetryLater("the function of workflow " + request.workflow() + " is not registered with "
                        + "Inngest yet", null);
            }
        }
        String event = served.get().events().iterator().next();
        if (request.version() != null) {
            Optional<CachedDefinition<WorkflowDefinition>> pinned = Blocking
                    .inSession(() -> catalog.workflows().resolve(request
                            .workflow(), request.version()));
            if (pinned.isEmpty()) {
                return Optional.of("workflow " + request.workflow() + " has no version " + request.version());
            }
            if (served.get().events().contains(pinned.get().definition().command())) {
                event = pinned.get().definition().command();
            }
        } else {
            event = Blocking.inSession(() -> catalog.workflows().resolve(request.workflow(), null))
                    .map(d -> d.definition()
                            .command())
                    .filter(served.get().events()::contains).orElse(event);
        }
        ObjectNode payload = json.createObjectNode();
        payload.put("id", request.commandId().toString());
        payload.put("name", event);
        ObjectNode data = payload.putObject("data");
        data.set(RunRequest.INPUT, input == null ? json.createObjectNode() : input);
        data.set(RunRequest.MEMBER, json.valueToTree(request));
        try {
            inngest.send(List.of(payload));
        } catch (InngestClient.InngestException e) {
            if (e.status() == 429 || e.status() >= 500) {
                throw new RetryLater("the Inngest Event API answered " + e.status() + ": " + e.getMessage(), e);
            }
            return Optional.of("the Inngest Event API refused the run's event (" + e.status() + "): " + e
                    .getMessage());
        } catch (IOException e) {
            throw new RetryLater("the Inngest Event API could not be reached: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryLater("interrupted", e);
        } catch (Exception e) {
            throw new RetryLater("the event could not be sent: " + e.getMessage(), e);
        }
        return Optional.empty();
    }

    private Uni<Void> refuse(WorkflowCommand command, String why) {
        UUID id = UUID.nameUUIDFromBytes(("run-update:refused:" + command.commandId()).getBytes(
                StandardCharsets.UTF_8));
        WorkflowRunUpdate update = new WorkflowRunUpdate(id, command.commandId(), null,
                WorkflowRunUpdate.RunStatus.FAILED, why, Instant.now());
        // A redelivered command is refused once.
        return outbox.transaction(() -> OutboxMessage.count("messageId", id).flatMap(seen -> seen > 0
                ? Uni.createFrom().voidItem()
                : outbox.enqueue(Topics.WORKFLOW_LIFECYCLE, command.commandId().toString(),
                        WorkflowRunUpdate.MESSAGE_TYPE, id, update).replaceWithVoid()));
    }

}
