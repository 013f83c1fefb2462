package dev.flowline.catalogcache;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.smallrye.mutiny.Uni;

import dev.flowline.contracts.CatalogChange;
import dev.flowline.contracts.CatalogKind;
import dev.flowline.contracts.Versions;

/**
 * The cached versions of one kind of definition, typed: {@code catalog.steps().resolve("match_bookings", "^1")}. Call
 * inside a reactive session.
 */
public final class CatalogView<T> {

    private static final Comparator<CachedDefinition<?>> OLDEST_FIRST = (a, b) -> Versions.ORDER.compare(a.version(),
            b.version());

    private final CatalogCache cache;
    private final CatalogKind kind;
    private final Class<T> type;

    CatalogView(CatalogCache cache, CatalogKind kind, Class<T> type) {
        this.cache = cache;
        this.kind = kind;
        this.type = type;
    }

    /** The name of every definition of this kind cached, in name order. */
    public Uni<List<String>> names() {
        return cache.names(kind);
    }

    /** Every cached version of {@code name}, published and deprecated, oldest first. */
    public Uni<List<CachedDefinition<T>>> versions(String name) {
        return cache.versions(kind, name).map(all -> all.stream().map(this::typed).sorted(OLDEST_FIRST).toList());
    }

    /**
     * The version a reference names: the exact version when one is cached (deprecated included: the caller decides),
     * else the newest published version in the range, or the newest published version when {@code versionOrRange}
     * is null or blank. Empty when nothing qualifies or the range cannot be read.
     */
    public Uni<Optional<CachedDefinition<T>>> resolve(String name, String versionOrRange) {
        return versions(name).map(all -> pick(all, versionOrRange));
    }

    static <T> Optional<CachedDefinition<T>> pick(List<CachedDefinition<T>> all, String versionOrRange) {
        if (versionOrRange == null || versionOrRange.isBlank()) {
            return all.stream().filter(d -> d.status() == CatalogChange.Status.PUBLISHED).max(OLDEST_FIRST);
        }
        Optional<CachedDefinition<T>> exact = all.stream().filter(d -> d.version().equals(versionOrRange))
                .findFirst();
        if (exact.isPresent()) {
            return exact;
        }
        if (!Versions.isValidRange(versionOrRange)) {
            return Optional.empty();
        }
        return all.stream().filter(d -> d.status() == CatalogChange.Status.PUBLISHED)
                .filter(d -> Versions.satisfies(d.version(), versionOrRange)).max(OLDEST_FIRST);
    }

    private CachedDefinition<T> typed(CachedDefinition<Object> entry) {
        return new CachedDefinition<>(entry.kind(), entry.name(), entry.version(), entry.status(), type.cast(entry
                .definition()), entry.document(), entry.messageId(), entry.changedAt(), entry.receivedAt());
    }
}
