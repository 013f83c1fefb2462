package dev.flowline.task.messaging;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

import dev.flowline.contracts.StepAwaitingTask;
import dev.flowline.contracts.Topics;
import dev.flowline.contracts.WorkflowRunEvent;
import dev.flowline.servicekit.messaging.MessageDispatcher;
import dev.flowline.servicekit.messaging.TransientRetry;
import dev.flowline.task.domain.TaskIntake;

/**
 * Hands the runner's {@code workflow-lifecycle} records to {@link TaskIntake}: an awaiting step opens a task, the end
 * of a run cancels the tasks it left open; everything else is skipped. Besides the transient failures every consumer
 * retries (the database down), a step the catalog cache does not know yet and a delivery that lost a race on the
 * task's correlation key are retried (the retry finds the winner's task), so no awaiting step is ever dropped.
 */
@ApplicationScoped
public class WorkflowLifecycleConsumer {

    @Inject
    TaskIntake intake;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry registry;

    private static final String UNIQUE_VIOLATION = "23505";

    private MessageDispatcher dispatcher;

    @PostConstruct
    void routes() {
        dispatcher = new MessageDispatcher(Topics.WORKFLOW_LIFECYCLE, json, registry).alsoRetrying(
                e -> e instanceof TaskIntake.StepNotCachedYet || TransientRetry.hasSqlState(e, UNIQUE_VIOLATION))
                .on(StepAwaitingTask.MESSAGE_TYPE, StepAwaitingTask.class, envelope -> intake.open(envelope
                        .message()).replaceWithVoid())
                .on(WorkflowRunEvent.MESSAGE_TYPE, WorkflowRunEvent.class, envelope -> envelope.message().kind()
                        .endsRun()
                                ? intake.cancelForRun(envelope.message().runId(), "the run ended: "
                                        + envelope.message().kind().name().toLowerCase(java.util.Locale.ROOT))
                                        .replaceWithVoid()
                                : Uni.createFrom().voidItem());
    }

    @Incoming("workflow-lifecycle")
    public Uni<Void> onRecord(ConsumerRecord<String, byte[]> record) {
        return dispatcher.dispatch(record);
    }
}
