package dev.flowline.trigger.domain;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

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

    public Uni<List<CatalogCacheEntry>> versions(CatalogKind kind, String name) {
        return CatalogCacheEntry.list("key.kind = ?1 and key.name = ?2", kind.wireName(), name);
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
