package dev.flowline.trigger.messaging;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

import dev.flowline.contracts.Topics;
import dev.flowline.contracts.WorkflowRunUpdate;
import dev.flowline.servicekit.messaging.MessageDispatcher;
import dev.flowline.trigger.domain.CommandService;

/**
 * Keeps each command's run id and status as inngest-bridge reports them on {@code workflow-lifecycle}. The topic
 * carries other lifecycle records too; only run updates are read here.
 */
@ApplicationScoped
public class WorkflowLifecycleConsumer {

    @Inject
    CommandService commands;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry registry;

    private MessageDispatcher dispatcher;

    @PostConstruct
    void routes() {
        dispatcher = new MessageDispatcher(Topics.WORKFLOW_LIFECYCLE, json, registry).on(
                WorkflowRunUpdate.MESSAGE_TYPE, WorkflowRunUpdate.class, envelope -> envelope.message()
                        .commandId() == null
                                ? Uni.createFrom().voidItem()
                                : commands.applyRunUpdate(envelope.message()));
    }

    @Incoming("workflow-lifecycle")
    public Uni<Void> onRecord(ConsumerRecord<String, byte[]> record) {
        return dispatcher.dispatch(record);
    }
}
