package dev.flowline.bridge.messaging;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

import dev.flowline.bridge.domain.CommandIntake;
import dev.flowline.contracts.Topics;
import dev.flowline.contracts.WorkflowCommand;
import dev.flowline.servicekit.messaging.MessageDispatcher;

/** Hands each command on {@code workflow-commands} to {@link CommandIntake}, in order per partition. */
@ApplicationScoped
public class WorkflowCommandsConsumer {

    @Inject
    CommandIntake intake;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry registry;

    private MessageDispatcher dispatcher;

    @PostConstruct
    void routes() {
        dispatcher = new MessageDispatcher(Topics.WORKFLOW_COMMANDS, json, registry).on(WorkflowCommand.MESSAGE_TYPE,
                WorkflowCommand.class, envelope -> intake.accept(envelope.message()));
    }

    @Incoming("workflow-commands")
    public Uni<Void> onRecord(ConsumerRecord<String, byte[]> record) {
        return dispatcher.dispatch(record);
    }
}
