package dev.flowline.catalog.messaging;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.mutiny.Uni;

import dev.flowline.catalog.persistence.DefinitionEntity;
import dev.flowline.contracts.CatalogChange;
import dev.flowline.contracts.CatalogKind;
import dev.flowline.contracts.Topics;
import dev.flowline.outbox.Outbox;

/** Announces a definition's new state on {@link Topics#CATALOG_CHANGES}, through the outbox. */
@ApplicationScoped
public class CatalogChangePublisher {

    @Inject
    Outbox outbox;

    /** Must run in the transaction that changed {@code definition}. */
    public Uni<Void> announce(DefinitionEntity definition, CatalogChange.Status status) {
        CatalogChange change = new CatalogChange(UUID.randomUUID(), CatalogKind.fromWireName(definition.kind),
                definition.name, definition.version, status, definition.document, Instant.now());
        return outbox.enqueue(Topics.CATALOG_CHANGES, change.key(), CatalogChange.MESSAGE_TYPE, change.messageId(),
                change).replaceWithVoid();
    }
}
