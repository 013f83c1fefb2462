package dev.flowline.trigger.domain;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.smallrye.mutiny.Uni;

import dev.flowline.contracts.CatalogChange;
import dev.flowline.contracts.CatalogKind;
import dev.flowline.contracts.Versions;
import dev.flowline.trigger.persistence.CatalogCacheEntry;

/**
 * The event registry and workflow catalog at run time: lookups in the local cache of {@code catalog-changes}. Call
 * inside a reactive session.
 */
@ApplicationScoped
public class Registry {

    private static final Comparator<CatalogCacheEntry> NEWEST = (a, b) -> Versions.ORDER.compare(a.key.version(),
            b.key.version());

    /** How long a lookup that found versions is answered from memory; changes applied here clear it at once. */
    @ConfigProperty(name = "flowline.registry.cache-ttl", defaultValue = "5s")
    Duration ttl;

    private record Cached(List<CatalogCacheEntry> versions, long loadedAt) {
    }

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    /**
     * Every event is validated against its type, so found versions are kept in memory for a few seconds instead of
     * being queried per event (and managed by each event's session). Misses are never cached: a type published a
     * moment ago must not be rejected as unknown. Another instance's cache catches up within the TTL.
     */
    public Uni<List<CatalogCacheEntry>> versions(CatalogKind kind, String name) {
        String key = kind.wireName() + "/" + name;
        Cached cached = cache.get(key);
        long now = System.nanoTime();
        if (cached != null && now - cached.loadedAt() < ttl.toNanos()) {
            return Uni.createFrom().item(cached.versions());
        }
        return CatalogCacheEntry.<CatalogCacheEntry>list("key.kind = ?1 and key.name = ?2", kind.wireName(), name)
                .invoke(found -> {
                    if (!found.isEmpty()) {
                        cache.put(key, new Cached(List.copyOf(found), now));
                    }
                });
    }

    /** Called when this instance applied a catalog change. */
    public void invalidate() {
        cache.clear();
    }

    /**
     * The event-type version an event or trigger refers to: the exact version, the newest in a range, or the newest
     * published one. A deprecated version is returned as such (the caller decides).
     */
    public Uni<Optional<CatalogCacheEntry>> eventType(String type, String versionOrRange) {
        return versions(CatalogKind.EVENT_TYPE, type).map(all -> pick(all, versionOrRange));
    }

    /** A workflow version: exact when given, else the newest published. */
    public Uni<Optional<CatalogCacheEntry>> workflow(String name, String version) {
        return versions(CatalogKind.WORKFLOW, name).map(all -> pick(all, version));
    }

    static Optional<CatalogCacheEntry> pick(List<CatalogCacheEntry> all, String versionOrRange) {
        if (versionOrRange == null || versionOrRange.isBlank()) {
            return all.stream().filter(e -> e.status == CatalogChange.Status.PUBLISHED).max(NEWEST);
        }
        Optional<CatalogCacheEntry> exact = all.stream().filter(e -> e.key.version().equals(versionOrRange))
                .findFirst();
        if (exact.isPresent()) {
            return exact;
        }
        if (!Versions.isValidRange(versionOrRange)) {
            return Optional.empty();
        }
        return all.stream().filter(e -> e.status == CatalogChange.Status.PUBLISHED)
                .filter(e -> Versions.satisfies(e.key.version(), versionOrRange)).max(NEWEST);
    }
}
