package dev.flowline.catalogcache;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import dev.flowline.contracts.CatalogChange;
import dev.flowline.contracts.CatalogKind;

/**
 * One definition version as this service's cache holds it, read into its typed record.
 *
 * @param definition the typed definition ({@code StepDefinition}, {@code WorkflowDefinition},
 *        {@code EventTypeDefinition})
 * @param document the definition as published, for answering it as is
 * @param messageId the catalog-changes record it came from: changes whenever the cached state changes
 */
public record CachedDefinition<T>(CatalogKind kind, String name, String version, CatalogChange.Status status,
        T definition, JsonNode document, UUID messageId, Instant changedAt, Instant receivedAt) {

    public boolean deprecated() {
        return status == CatalogChange.Status.DEPRECATED;
    }

    public String label() {
        return name + "@" + version;
    }
}
