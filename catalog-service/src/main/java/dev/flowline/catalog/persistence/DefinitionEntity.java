package dev.flowline.catalog.persistence;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

import dev.flowline.contracts.CatalogKind;
import dev.flowline.definitions.VersionLifecycle;

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
    public VersionLifecycle.Status status;

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

    /** The row, locked until the transaction ends: concurrent publishes of one version queue up behind it. */
    public static Uni<DefinitionEntity> findVersionForUpdate(CatalogKind kind, String name, String version) {
        return find("kind = ?1 and name = ?2 and version = ?3", kind.wireName(), name, version)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** Every version of one definition, in no particular order. */
    public static Uni<List<DefinitionEntity>> versions(CatalogKind kind, String name) {
        return list("kind = ?1 and name = ?2", kind.wireName(), name);
    }

    /** Published and deprecated versions of the named definitions. */
    public static Uni<List<DefinitionEntity>> released(CatalogKind kind, Collection<String> names) {
        return list("kind = ?1 and name in ?2 and status in ?3", kind.wireName(), names,
                List.of(VersionLifecycle.Status.PUBLISHED, VersionLifecycle.Status.DEPRECATED));
    }
}
