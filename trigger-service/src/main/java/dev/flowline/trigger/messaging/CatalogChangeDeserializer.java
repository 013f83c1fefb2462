package dev.flowline.trigger.messaging;

import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

import dev.flowline.contracts.CatalogChange;

/** Reads {@link CatalogChange} records with the application's Jackson mapper. */
public class CatalogChangeDeserializer extends ObjectMapperDeserializer<CatalogChange> {

    public CatalogChangeDeserializer() {
        super(CatalogChange.class);
    }
}
