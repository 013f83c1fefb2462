package dev.flowline.trigger.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.mutiny.Uni;

import dev.flowline.contracts.CatalogChange;
import dev.flowline.trigger.domain.CatalogCache;

/** Feeds the local catalog cache from the compacted catalog-changes topic, one record at a time, in order. */
@ApplicationScoped
public class CatalogChangesConsumer {

    @Inject
    CatalogCache cache;

    @Incoming("catalog-changes")
    public Uni<Void> onChange(CatalogChange change) {
        return cache.apply(change).replaceWithVoid();
    }
}
