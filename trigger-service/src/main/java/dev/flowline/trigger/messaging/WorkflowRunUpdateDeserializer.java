package dev.flowline.trigger.messaging;

import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

import dev.flowline.contracts.WorkflowRunUpdate;

/** Reads {@link WorkflowRunUpdate} records with the application's Jackson mapper. */
public class WorkflowRunUpdateDeserializer extends ObjectMapperDeserializer<WorkflowRunUpdate> {

    public WorkflowRunUpdateDeserializer() {
        super(WorkflowRunUpdate.class);
    }
}
