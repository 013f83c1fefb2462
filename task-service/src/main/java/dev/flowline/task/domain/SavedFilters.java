package dev.flowline.task.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import dev.flowline.servicekit.problem.Problem.FieldError;
import dev.flowline.servicekit.problem.ProblemException;
import dev.flowline.servicekit.problem.ProblemType;
import dev.flowline.task.persistence.SavedFilterEntity;

/**
 * Saved inbox filters, server-side: a user's own, and those others shared with a role the user holds. Only the owner
 * changes or deletes one. A filter's query is checked as the list would read it when it is saved.
 */
@ApplicationScoped
public class SavedFilters {

    static final int MAX_NAME = 100;

    @Inject
    ObjectMapper json;

    public Uni<List<SavedFilterEntity>> visible(String me, Set<String> roles) {
        return Panache.withSession(() -> SavedFilterEntity.<SavedFilterEntity>list(
                "owner = ?1 or sharedWith in ?2 order by name, id", me, roles.isEmpty() ? Set.of("") : roles));
    }

    /** The filter, if the caller may see it; 404 otherwise (whether it exists is not the caller's business). */
    public Uni<SavedFilterEntity> get(UUID id, String me, Set<String> roles) {
        return Panache.withSession(() -> SavedFilterEntity.<SavedFilterEntity>findById(id)).map(found -> {
            if (found == null || !(found.owner.equals(me) || found.sharedWith != null && roles.contains(
                    found.sharedWith))) {
                throw ProblemException.notFound("no saved filter " + id);
            }
            return found;
        });
    }

    /** The saved query as list parameters. */
    public static Map<String, String> parameters(SavedFilterEntity filter) {
        Map<String, String> parameters = new LinkedHashMap<>();
        filter.query.fields().forEachRemaining(e -> parameters.put(e.getKey(), e.getValue().asText()));
        return parameters;
    }

    public Uni<SavedFilterEntity> create(String me, Set<String> roles, String name, JsonNode query,
            String sharedWith) {
        validate(name, query, sharedWith, roles);
        SavedFilterEntity filter = new SavedFilterEntity();
        filter.id = UUID.randomUUID();
        filter.owner = me;
        filter.name = name.trim();
        filter.query = query;
        filter.sharedWith = sharedWith;
        filter.createdAt = Instant.now();
        filter.updatedAt = filter.createdAt;
        return Panache.withTransaction(() -> SavedFilterEntity.count("owner = ?1 and name = ?2", me, filter.name)
                .flatMap(taken -> taken > 0
                        ? Uni.createFrom().failure(ProblemException.conflict("you have a filter named '"
                                + filter.name + "' already"))
                        : filter.<SavedFilterEntity>persist()));
    }

    public Uni<SavedFilterEntity> update(UUID id, String me, Set<String> roles, String name, JsonNode query,
            String sharedWith) {
        validate(name, query, sharedWith, roles);
        return Panache.withTransaction(() -> SavedFilterEntity.<SavedFilterEntity>findById(id).flatMap(found -> {
            owned(found, id, me);
            return SavedFilterEntity.count("owner = ?1 and name = ?2 and id <> ?3", me, name.trim(), id).map(
                    taken -> {
                        if (taken > 0) {
                            throw ProblemException.conflict("you have a filter named '" + name.trim()
                                    + "' already");
                        }
                        found.name = name.trim();
                        found.query = query;
                        found.sharedWith = sharedWith;
                        found.updatedAt = Instant.now();
                        return found;
                    });
        }));
    }

    public Uni<Void> delete(UUID id, String me) {
        return Panache.withTransaction(() -> SavedFilterEntity.<SavedFilterEntity>findById(id).flatMap(found -> {
            owned(found, id, me);
            return found.delete();
        }));
    }

    private static void owned(SavedFilterEntity found, UUID id, String me) {
        if (found == null) {
            throw ProblemException.notFound("no saved filter " + id);
        }
        if (!found.owner.equals(me)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "only its owner (" + found.owner
                    + ") changes a saved filter");
        }
    }

    private void validate(String name, JsonNode query, String sharedWith, Set<String> roles) {
        List<FieldError> errors = new ArrayList<>();
        if (name == null || name.isBlank()) {
            errors.add(new FieldError("/name", "a saved filter needs a name"));
        } else if (name.trim().length() > MAX_NAME) {
            errors.add(new FieldError("/name", "at most " + MAX_NAME + " characters"));
        }
        if (query == null || !query.isObject()) {
            errors.add(new FieldError("/query", "the list's query parameters as an object, e.g. {\"status\": "
                    + "\"open\", \"candidate\": \"mine\"}"));
        } else {
            Map<String, Object> values = new LinkedHashMap<>();
            query.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().isTextual()
                    ? e.getValue().asText()
                    : e.getValue()));
            errors.addAll(InboxQuery.problems(values));
        }
        if (sharedWith != null && !roles.contains(sharedWith)) {
            errors.add(new FieldError("/sharedWith", "you can share a filter only with a role you hold"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
    }
}
