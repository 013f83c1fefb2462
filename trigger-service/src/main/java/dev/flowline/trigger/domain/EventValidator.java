package dev.flowline.trigger.domain;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

import dev.flowline.catalogcache.CachedDefinition;
import dev.flowline.catalogcache.CatalogCache;
import dev.flowline.definitions.EventTypeDefinition;
import dev.flowline.servicekit.problem.Problem.FieldError;

/**
 * Checks an event against the event registry before anything reacts to it: envelope, size, nesting, a known and
 * enabled type, and its data against the type's schema.
 */
@ApplicationScoped
public class EventValidator {

    /** The outcome: the event type version it was checked against, or why it was rejected. */
    public record Verdict(CachedDefinition<EventTypeDefinition> eventType, String reason, List<FieldError> errors) {
        public boolean accepted() {
            return reason == null;
        }
    }

    @Inject
    CatalogCache catalog;

    @Inject
    EventSchemas schemas;

    @ConfigProperty(name = "flowline.events.max-size", defaultValue = "262144")
    int maxSize;

    @ConfigProperty(name = "flowline.events.max-depth", defaultValue = "64")
    int maxDepth;

    /** Call inside a reactive session. */
    public Uni<Verdict> validate(DomainEvent event) {
        List<FieldError> errors = new ArrayList<>();
        require(event.id(), "/id", errors);
        require(event.type(), "/type", errors);
        require(event.source(), "/source", errors);
        if (!errors.isEmpty()) {
            return reject("invalid-envelope", errors);
        }
        if (event.size() > maxSize) {
            return reject("oversize", List.of(new FieldError("", "the event is " + event.size()
                    + " bytes; the limit is " + maxSize)));
        }
        if (depth(event.data(), 0) > maxDepth) {
            return reject("too-deep", List.of(new FieldError("/data", "the data nests deeper than " + maxDepth
                    + " levels")));
        }
        return catalog.eventTypes().resolve(event.type(), event.dataVersion()).map(found -> {
            if (found.isEmpty()) {
                return new Verdict(null, "unknown-type", List.of(new FieldError("/type", "event type '"
                        + event.type() + "'" + (event.dataVersion() == null ? "" : " version " + event.dataVersion())
                        + " is not in the registry")));
            }
            CachedDefinition<EventTypeDefinition> eventType = found.get();
            if (eventType.deprecated()) {
                return new Verdict(eventType, "deprecated-type", List.of(new FieldError("/type", "event type "
                        + event.type() + " version " + eventType.version() + " is deprecated and disabled")));
            }
            List<FieldError> schemaErrors = schemas.validate(eventType, event.data());
            return schemaErrors.isEmpty()
                    ? new Verdict(eventType, null, List.of())
                    : new Verdict(eventType, "schema-violation", schemaErrors);
        });
    }

    private static Uni<Verdict> reject(String reason, List<FieldError> errors) {
        return Uni.createFrom().item(new Verdict(null, reason, errors));
    }

    private static void require(String value, String pointer, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(pointer, pointer.substring(1) + " is required"));
        }
    }

    private static int depth(JsonNode node, int level) {
        if (node == null || !node.isContainerNode()) {
            return level;
        }
        int max = level + 1;
        for (JsonNode child : node) {
            max = Math.max(max, depth(child, level + 1));
            if (max > 1000) {
                return max;
            }
        }
        return max;
    }
}
