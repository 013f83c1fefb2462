package dev.flowline.catalogcache;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

import dev.flowline.contracts.CatalogChange;

/** The latest known state of one catalog definition version. */
@Entity
@Table(name = "catalog_cache")
public class CatalogCacheEntry extends PanacheEntityBase {

    /** Kind, name and version: the same identity as the topic's key. */
    @Embeddable
    public record Key(String kind, String name, String version) implements Serializable {
    }

    @EmbeddedId
    public Key key;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public CatalogChange.Status status;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public JsonNode definition;

    @Column(name = "message_id", nullable = false)
    public UUID messageId;

    @Column(name = "changed_at", nullable = false)
    public Instant changedAt;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;
}
