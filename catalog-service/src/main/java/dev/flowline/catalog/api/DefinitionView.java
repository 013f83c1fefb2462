package dev.flowline.catalog.api;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

import dev.flowline.catalog.persistence.DefinitionEntity;
import dev.flowline.definitions.VersionLifecycle;

/** A definition version as the API shows it. */
@RegisterForReflection
public record DefinitionView(String kind, String name, String version, VersionLifecycle.Status status,
        JsonNode definition,
        Instant createdAt, Instant updatedAt, Instant publishedAt) {

    public static DefinitionView of(DefinitionEntity e) {
        return new DefinitionView(e.kind, e.name, e.version, e.status, e.document, e.createdAt, e.updatedAt,
                e.publishedAt);
    }
}
