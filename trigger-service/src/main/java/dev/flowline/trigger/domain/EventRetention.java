package dev.flowline.trigger.domain;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

import dev.flowline.trigger.persistence.EventRecord;

/**
 * Forgets received events after the retention window (default 7 days): within it a redelivered event id is
 * recognised and ignored; after it, the evaluation record is gone too.
 */
@ApplicationScoped
public class EventRetention {

    private static final Logger LOG = Logger.getLogger(EventRetention.class);

    @ConfigProperty(name = "flowline.events.dedup-retention", defaultValue = "P7D")
    Duration retention;

    @Scheduled(every = "${flowline.events.retention-sweep:1h}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return purgeBefore(Instant.now().minus(retention)).invoke(n -> {
            if (n > 0) {
                LOG.infof("forgot %d events received before the retention window", n);
            }
        }).replaceWithVoid().onFailure().recoverWithUni(e -> {
            LOG.warnf("event retention sweep failed: %s", e.toString());
            return Uni.createFrom().voidItem();
        });
    }

    public Uni<Long> purgeBefore(Instant cutoff) {
        return Panache.withTransaction(() -> EventRecord.delete("receivedAt < ?1", cutoff));
    }
}
