package dev.flowline.bridge.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

import dev.flowline.bridge.inngest.EventSender;
import dev.flowline.bridge.persistence.TaskResolutionEntity;
import dev.flowline.contracts.TaskResolved;

/**
 * Task resolutions on their way to the runs that wait for them. A resolution is kept (once per correlation key: a
 * second resolution of the same task changes nothing) and sent to Inngest as {@value WorkflowRunner#TASK_RESOLVED_EVENT}.
 * Inngest matches an event only against waits registered before it arrived, so until the run says it took the
 * resolution ({@link #markTaken}) it is sent again every {@code resolution-resend-interval}; the run also looks it up
 * before it waits ({@link #find}).
 */
@ApplicationScoped
public class TaskResolutions {

    private static final Logger LOG = Logger.getLogger(TaskResolutions.class);

    @Inject
    ObjectMapper json;

    @Inject
    EventSender inngest;

    @ConfigProperty(name = "flowline.runner.resolution-resend-interval")
    Duration resendInterval;

    @ConfigProperty(name = "flowline.runner.task-timeout")
    Duration taskTimeout;

    /** Keeps a resolution and sends it on; answers whether it was new. */
    public Uni<Boolean> receive(TaskResolved resolution) {
        String runId = runIdOf(resolution.correlationKey());
        if (runId == null) {
            LOG.warnf("task resolution %s has a correlation key that names no run: %s", resolution.messageId(),
                    resolution.correlationKey());
            return Uni.createFrom().item(false);
        }
        return Panache.withTransaction(() -> TaskResolutionEntity.<TaskResolutionEntity>findById(resolution
                .correlationKey()).flatMap(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().item(false);
                    }
                    TaskResolutionEntity entry = new TaskResolutionEntity();
                    entry.correlationKey = resolution.correlationKey();
                    entry.runId = runId;
                    entry.messageId = resolution.messageId();
                    entry.record = json.valueToTree(resolution);
                    entry.receivedAt = Instant.now();
                    return entry.persist().replaceWith(true);
                })).invoke(created -> {
                    if (created) {
                        // Sending blocks (HTTP): on a worker, after the commit; the resend covers a failure.
                        Infrastructure.getDefaultWorkerPool().execute(() -> send(resolution.correlationKey()));
                    }
                });
    }

    /** The run id in a correlation key ({@code run/step/execution/attempt}). */
    static String runIdOf(String correlationKey) {
        int slash = correlationKey.indexOf('/');
        return slash <= 0 ? null : correlationKey.substring(0, slash);
    }

    /** The resolution kept for {@code correlationKey} (the TaskResolved record), or null; from function code. */
    public JsonNode find(String correlationKey) {
        TaskResolutionEntity entry = Blocking.inSession(() -> TaskResolutionEntity.findById(correlationKey));
        return entry == null ? null : entry.record;
    }

    /** The run took the resolution: it is not sent again. From function code. */
    public void markTaken(String correlationKey) {
        Blocking.inSession(() -> Panache.withTransaction(() -> TaskResolutionEntity.update(
                "takenAt = ?1 where correlationKey = ?2 and takenAt is null", Instant.now(), correlationKey)));
    }

    /** Sends one kept resolution to Inngest (blocking). */
    void send(String correlationKey) {
        TaskResolutionEntity entry = Blocking.inSession(() -> TaskResolutionEntity.findById(correlationKey));
        if (entry == null || entry.takenAt != null) {
            return;
        }
        ObjectNode event = json.createObjectNode();
        // The same id every time: Inngest still matches each send against the waits registered by then.
        event.put("id", "task-resolved-" + entry.messageId);
        event.put("name", WorkflowRunner.TASK_RESOLVED_EVENT);
        ObjectNode data = event.putObject("data");
        data.put("correlationKey", entry.correlationKey);
        data.set("resolution", entry.record);
        try {
            inngest.send(List.of(event));
            Blocking.inSession(() -> Panache.withTransaction(() -> TaskResolutionEntity.update(
                    "sentAt = ?1, sendCount = sendCount + 1 where correlationKey = ?2", Instant.now(),
                    correlationKey)));
        } catch (Exception e) {
            LOG.warnf("could not send the resolution of %s to Inngest, will retry: %s", correlationKey, e
                    .getMessage());
        }
    }

    /** Sends again what no run has taken yet (within the task timeout: after it, no run waits any more). */
    @Scheduled(every = "${flowline.runner.resolution-resend-interval}", delayed = "${flowline.runner.resolution-resend-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void resendUntaken() {
        Instant now = Instant.now();
        List<TaskResolutionEntity> open = Blocking.inSession(() -> TaskResolutionEntity.<TaskResolutionEntity>list(
                "takenAt is null and receivedAt > ?1 and (sentAt is null or sentAt < ?2) order by receivedAt", now
                        .minus(taskTimeout).minus(Duration.ofDays(1)),
                now.minus(resendInterval)));
        open.forEach(entry -> send(entry.correlationKey));
    }

}
