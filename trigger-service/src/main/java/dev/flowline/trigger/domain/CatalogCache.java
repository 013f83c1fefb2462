package dev.flowline.trigger.domain;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import dev.flowline.contracts.CatalogChange;
import dev.flowline.contracts.CatalogKind;
import dev.flowline.trigger.persistence.CatalogCacheEntry;

/**
 * This service's copy of the catalog. Applying a change is idempotent: a redelivered message (same id) or one older
 * than what is cached changes nothing, so at-least-once delivery gives exactly-once effect.
 */
@ApplicationScoped
public class CatalogCache {

    private static final Logger LOG = Logger.getLogger(CatalogCache.class);

    @Inject
    Registry registry;

    /** Answers whether the change was applied. */
    public Uni<Boolean> apply(CatalogChange change) {
        CatalogCacheEntry.Key key = new CatalogCacheEntry.Key(change.kind().wireName(), change.name(),
                change.version());
        return Panache.withTransaction(() -> CatalogCacheEntry.<CatalogCacheEntry>findById(key).flatMap(entry -> {
            if (entry != null && (entry.messageId.equals(change.messageId())
                    || entry.changedAt.isAfter(change.changedAt()))) {
                LOG.debugf("ignoring %s: duplicate or older than the cached state", change.key());
                return Uni.createFrom().item(false);
            }
            CatalogCacheEntry target = entry == null ? new CatalogCacheEntry() : entry;
            target.key = key;
            target.status = change.status();
            target.definition = change.definition();
            target.messageId = change.messageId();
            target.changedAt = change.changedAt();
            target.receivedAt = Instant.now();
            return (entry == null ? target.persist() : Uni.createFrom().item(target)).replaceWith(true);
        })).invoke(registry::invalidate);
    }

    public Uni<CatalogCacheEntry> find(CatalogKind kind, String name, String version) {
        return Panache.withSession(() -> CatalogCacheEntry
                .findById(new CatalogCacheEntry.Key(kind.wireName(), name, version)));
    }
}
