package dev.flowline.contracts;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A record on the compacted {@link Topics#CATALOG_CHANGES} topic: the current state of one definition version.
 * Consumers keep a local cache keyed by {@link #key()}; a newer record for the same key replaces the older one.
 *
 * @param messageId unique per emitted record, used by consumers to drop redeliveries
 * @param kind what the definition is
 * @param name definition name (step name, workflow name, event type)
 * @param version the definition's version, as written in the definition
 * @param status lifecycle status at the time of the change
 * @param definition the full definition document
 * @param changedAt when the catalog committed the change
 */
public record CatalogChange(UUID messageId, CatalogKind kind, String name, String version, Status status,
        JsonNode definition, Instant changedAt) {

    public static final String MESSAGE_TYPE = "catalog-change/v1";

    public enum Status {
        PUBLISHED, DEPRECATED
    }

    public CatalogChange {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(changedAt, "changedAt");
    }

    /** The Kafka key: one compacted entry per definition version. */
    @JsonIgnore
    public String key() {
        return key(kind, name, version);
    }

    public static String key(CatalogKind kind, String name, String version) {
        return kind.wireName() + "/" + name + "/" + version;
    }
}
