package dev.flowline.trigger.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.mutiny.Uni;

import dev.flowline.contracts.WorkflowRunUpdate;
import dev.flowline.trigger.domain.CommandService;

/** Keeps each command's run id and status as inngest-bridge reports them on {@code workflow-lifecycle}. */
@ApplicationScoped
public class WorkflowLifecycleConsumer {

    @Inject
    CommandService commands;

    @Incoming("workflow-lifecycle")
    public Uni<Void> onUpdate(WorkflowRunUpdate update) {
        // A record that is not an update (null after a failed deserialization) carries nothing to apply.
        return update == null || update.commandId() == null
                ? Uni.createFrom().voidItem()
                : commands.applyRunUpdate(update);
    }
}
