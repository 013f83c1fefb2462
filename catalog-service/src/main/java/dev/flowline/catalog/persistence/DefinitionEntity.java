package dev.flowline.catalog.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

import dev.flowline.catalog.domain.DefinitionStatus;
import dev.flowline.contracts.CatalogKind;

/** One version of a step, workflow or event-type definition. */
@Entity
@Table(name = "definition")
public class DefinitionEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    /** The kind's wire name ({@link CatalogKind#wireName()}). */
    @Column(nullable = false)
    public String kind;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String version;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public DefinitionStatus status;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public JsonNode document;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "published_at")
    public Instant publishedAt;

    public static Uni<DefinitionEntity> findVersion(CatalogKind kind, String name, String version) {
        return find("kind = ?1 and name = ?2 and version = ?3", kind.wireName(), name, version).firstResult();
    }
}
