package dev.flowline.catalog.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import dev.flowline.catalog.messaging.CatalogChangePublisher;
import dev.flowline.catalog.persistence.DefinitionEntity;
import dev.flowline.contracts.CatalogChange;
import dev.flowline.contracts.CatalogKind;
import dev.flowline.servicekit.problem.ProblemException;

/** The draft → published lifecycle of definition versions, for every kind. */
@ApplicationScoped
public class DefinitionService {

    /** The outcome of saving a draft: the stored row, and whether it was new. */
    public record Saved(DefinitionEntity definition, boolean created) {
    }

    @Inject
    CatalogChangePublisher publisher;

    /** Creates or replaces a draft; a published or deprecated version is immutable (409). */
    public Uni<Saved> saveDraft(CatalogKind kind, String name, String version, JsonNode document) {
        return Panache.withTransaction(() -> DefinitionEntity.findVersion(kind, name, version).flatMap(existing -> {
            Instant now = Instant.now();
            if (existing == null) {
                DefinitionEntity created = new DefinitionEntity();
                created.id = UUID.randomUUID();
                created.kind = kind.wireName();
                created.name = name;
                created.version = version;
                created.status = DefinitionStatus.DRAFT;
                created.document = document;
                created.createdAt = now;
                created.updatedAt = now;
                return created.<DefinitionEntity>persist().map(saved -> new Saved(saved, true));
            }
            if (existing.status != DefinitionStatus.DRAFT) {
                throw immutable(existing);
            }
            existing.document = document;
            existing.updatedAt = now;
            return Uni.createFrom().item(new Saved(existing, false));
        }));
    }

    /** Publishes a draft and announces it on Kafka in the same transaction (through the outbox). */
    public Uni<DefinitionEntity> publish(CatalogKind kind, String name, String version) {
        return Panache.withTransaction(() -> require(kind, name, version).flatMap(definition -> {
            if (definition.status != DefinitionStatus.DRAFT) {
                throw immutable(definition);
            }
            Instant now = Instant.now();
            definition.status = DefinitionStatus.PUBLISHED;
            definition.publishedAt = now;
            definition.updatedAt = now;
            return publisher.announce(definition, CatalogChange.Status.PUBLISHED).replaceWith(definition);
        }));
    }

    public Uni<DefinitionEntity> get(CatalogKind kind, String name, String version) {
        return Panache.withSession(() -> require(kind, name, version));
    }

    private static Uni<DefinitionEntity> require(CatalogKind kind, String name, String version) {
        return DefinitionEntity.findVersion(kind, name, version).onItem().ifNull()
                .failWith(() -> ProblemException.notFound(kind.wireName() + " " + name + " version " + version
                        + " does not exist"));
    }

    private static ProblemException immutable(DefinitionEntity definition) {
        return ProblemException.conflict(definition.kind + " " + definition.name + " version " + definition.version
                + " is " + definition.status.name().toLowerCase() + " and can no longer change; create a new version");
    }
}
