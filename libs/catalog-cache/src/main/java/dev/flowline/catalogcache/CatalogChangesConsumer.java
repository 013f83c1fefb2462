package dev.flowline.catalogcache;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

import dev.flowline.contracts.CatalogChange;
import dev.flowline.contracts.Topics;
import dev.flowline.servicekit.messaging.MessageDispatcher;

/**
 * Feeds the local catalog cache from the compacted catalog-changes topic, one record at a time, in order. A tombstone
 * or a record that is not a catalog change is logged, counted and skipped; it never stops the channel.
 */
@ApplicationScoped
public class CatalogChangesConsumer {

    @Inject
    CatalogCache cache;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry registry;

    private MessageDispatcher dispatcher;

    @PostConstruct
    void routes() {
        dispatcher = new MessageDispatcher(Topics.CATALOG_CHANGES, json, registry).on(CatalogChange.MESSAGE_TYPE,
                CatalogChange.class, envelope -> cache.apply(envelope.message()).replaceWithVoid());
    }

    @Incoming("catalog-changes")
    public Uni<Void> onRecord(ConsumerRecord<String, byte[]> record) {
        return dispatcher.dispatch(record);
    }
}
