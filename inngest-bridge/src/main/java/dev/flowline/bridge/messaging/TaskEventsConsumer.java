package dev.flowline.bridge.messaging;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

import dev.flowline.bridge.domain.TaskResolutions;
import dev.flowline.contracts.TaskResolved;
import dev.flowline.contracts.Topics;
import dev.flowline.servicekit.messaging.MessageDispatcher;

/** Hands each task resolution on {@code task-events} to {@link TaskResolutions}; other task records are skipped. */
@ApplicationScoped
public class TaskEventsConsumer {

    @Inject
    TaskResolutions resolutions;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry registry;

    private MessageDispatcher dispatcher;

    @PostConstruct
    void routes() {
        dispatcher = new MessageDispatcher(Topics.TASK_EVENTS, json, registry).on(TaskResolved.MESSAGE_TYPE,
                // The database down: the dispatcher's retry makes the resolution (and the partition) wait.
                TaskResolved.class, envelope -> resolutions.receive(envelope.message()).replaceWithVoid());
    }

    @Incoming("task-events")
    public Uni<Void> onRecord(ConsumerRecord<String, byte[]> record) {
        return dispatcher.dispatch(record);
    }
}
