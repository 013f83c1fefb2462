package dev.flowline.catalogcache;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import dev.flowline.contracts.CatalogChange;
import dev.flowline.contracts.CatalogKind;
import dev.flowline.definitions.DefinitionException;
import dev.flowline.definitions.EventTypeDefinition;
import dev.flowline.definitions.StepDefinition;
import dev.flowline.definitions.WorkflowDefinition;

/**
 * This service's copy of the catalog, fed by {@code catalog-changes} ({@link CatalogChangesConsumer}). Applying a
 * change is idempotent: a redelivered record (same message id) or one older than what is cached changes nothing, so
 * at-least-once delivery gives exactly-once effect. Lookups go through the typed views ({@link #steps()},
 * {@link #workflows()}, {@link #eventTypes()}).
 */
@ApplicationScoped
public class CatalogCache {

    private static final Logger LOG = Logger.getLogger(CatalogCache.class);

    /** How long a lookup that found versions is answered from memory; changes applied here clear it at once. */
    @ConfigProperty(name = "flowline.catalog-cache.memory-ttl", defaultValue = "5s")
    Duration ttl;

    private record Loaded(List<CachedDefinition<Object>> versions, long loadedAt) {
    }

    /** Fired (asynchronously) with every change applied. */
    @Inject
    Event<CatalogChange> changes;

    private final Map<String, Loaded> memory = new ConcurrentHashMap<>();
    /** Counts applied changes, so a lookup that read before a change does not refill the memory after it. */
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
    private final CatalogView<StepDefinition> steps = new CatalogView<>(this, CatalogKind.STEP, StepDefinition.class);
    private final CatalogView<WorkflowDefinition> workflows = new CatalogView<>(this, CatalogKind.WORKFLOW,
            WorkflowDefinition.class);
    private final CatalogView<EventTypeDefinition> eventTypes = new CatalogView<>(this, CatalogKind.EVENT_TYPE,
            EventTypeDefinition.class);

    public CatalogView<StepDefinition> steps() {
        return steps;
    }

    public CatalogView<WorkflowDefinition> workflows() {
        return workflows;
    }

    public CatalogView<EventTypeDefinition> eventTypes() {
        return eventTypes;
    }

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
        })).invoke(applied -> {
            generation.incrementAndGet();
            memory.clear();
            if (applied) {
                // Asynchronous: observers (the bridge re-syncing its functions) may block.
                changes.fireAsync(change);
            }
        });
    }

    Uni<List<String>> names(CatalogKind kind) {
        return Panache.getSession().flatMap(session -> session.createSelectionQuery(
                "select distinct e.key.name from CatalogCacheEntry e where e.key.kind = :kind order by e.key.name",
                String.class).setParameter("kind", kind.wireName()).getResultList());
    }

    /** One cached version as stored, or null. */
    public Uni<CatalogCacheEntry> find(CatalogKind kind, String name, String version) {
        return Panache.withSession(() -> CatalogCacheEntry
                .findById(new CatalogCacheEntry.Key(kind.wireName(), name, version)));
    }

    /**
     * Every cached version of a definition, typed. Events are validated against their type one by one, so found
     * versions are kept in memory for a few seconds instead of being queried per event. Misses are never kept: a type
     * published a moment ago must not be rejected as unknown. Another instance's cache catches up within the TTL. Call
     * inside a reactive session.
     */
    Uni<List<CachedDefinition<Object>>> versions(CatalogKind kind, String name) {
        String key = kind.wireName() + "/" + name;
        Loaded loaded = memory.get(key);
        long now = System.nanoTime();
        if (loaded != null && now - loaded.loadedAt() < ttl.toNanos()) {
            return Uni.createFrom().item(loaded.versions());
        }
        long seen = generation.get();
        return CatalogCacheEntry.<CatalogCacheEntry>list("key.kind = ?1 and key.name = ?2", kind.wireName(), name)
                .map(found -> {
                    List<CachedDefinition<Object>> typed = new ArrayList<>(found.size());
                    for (CatalogCacheEntry entry : found) {
                        CachedDefinition<Object> definition = typed(kind, entry);
                        if (definition != null) {
                            typed.add(definition);
                        }
                    }
                    if (!typed.isEmpty() && generation.get() == seen) {
                        memory.put(key, new Loaded(List.copyOf(typed), now));
                    }
                    return typed;
                });
    }

    /** A cached document this version of the definition language cannot read is left out, loudly. */
    private static CachedDefinition<Object> typed(CatalogKind kind, CatalogCacheEntry entry) {
        Object definition;
        try {
            definition = switch (kind) {
                case STEP -> StepDefinition.parse(entry.definition);
                case WORKFLOW -> WorkflowDefinition.parse(entry.definition);
                case EVENT_TYPE -> EventTypeDefinition.parse(entry.definition);
            };
        } catch (DefinitionException e) {
            LOG.warnf("cached %s %s@%s cannot be read and is left out: %s", kind.wireName(), entry.key.name(),
                    entry.key.version(), e.getMessage());
            return null;
        }
        return new CachedDefinition<>(kind, entry.key.name(), entry.key.version(), entry.status, definition,
                entry.definition, entry.messageId, entry.changedAt, entry.receivedAt);
    }
}
