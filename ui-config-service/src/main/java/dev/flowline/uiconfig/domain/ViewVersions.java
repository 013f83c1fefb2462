package dev.flowline.uiconfig.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import dev.flowline.definitions.VersionLifecycle;
import dev.flowline.servicekit.problem.Problem.FieldError;
import dev.flowline.servicekit.problem.ProblemException;
import dev.flowline.uiconfig.client.TaskServiceClient;
import dev.flowline.uiconfig.persistence.ViewVersionEntity;

/**
 * Task views in versions, by the shared {@link VersionLifecycle}: a draft is saved (and checked) as often as needed;
 * publishing makes it immutable; a task draws the newest version published for its type by the time it opened.
 */
@ApplicationScoped
public class ViewVersions {

    /** The outcome of a save: the row, and whether it was new. */
    public record Saved(ViewVersionEntity view, boolean created) {
    }

    public static final String NAME = "[a-z][a-z0-9_-]{0,99}";

    @Inject
    ViewSchemas schemas;

    @Inject
    TaskServiceClient tasks;

    @Inject
    DataSources sources;

    /** Every problem of {@code document}: the view language, its data schema, its task types, its checks. */
    public Uni<List<FieldError>> problems(JsonNode document, String bearer) {
        List<FieldError> errors = new ArrayList<>(schemas.validateView(document));
        if (!errors.isEmpty()) {
            return Uni.createFrom().item(errors);
        }
        List<FieldError> schemaErrors = schemas.validateSchema(document.get("schema"), "/schema");
        if (!schemaErrors.isEmpty()) {
            return Uni.createFrom().item(schemaErrors);
        }
        List<String> typeIds = new ArrayList<>();
        document.path("taskTypes").forEach(t -> typeIds.add(t.asText()));
        Map<String, ViewChecks.TaskTypeFacts> facts = new HashMap<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int i = 0; i < typeIds.size(); i++) {
            String typeId = typeIds.get(i);
            String pointer = "/taskTypes/" + i;
            chain = chain.flatMap(ignored -> tasks.taskType(typeId, bearer).invoke(type -> {
                if (type == null) {
                    errors.add(new FieldError(pointer, "no published step declares the task type " + typeId));
                } else {
                    Set<String> allowed = new HashSet<>();
                    type.path("allowedActions").forEach(a -> allowed.add(a.asText()));
                    facts.put(typeId, new ViewChecks.TaskTypeFacts(allowed));
                }
            }).replaceWithVoid());
        }
        // Each component fed by a data source, by where it is.
        Map<String, JsonNode> fed = new java.util.LinkedHashMap<>();
        ViewComponents.<Void>walk(document.get("layout"), "/layout", null, (component, at, parent) -> {
            if (component.path("dataSource").has("name")) {
                fed.put(at, component.get("dataSource"));
            }
            return null;
        });
        Set<String> names = new HashSet<>();
        fed.values().forEach(ref -> names.add(ref.get("name").asText()));
        return chain.flatMap(ignored -> sources.documents(names)).map(documents -> {
            errors.addAll(ViewChecks.problems(document, facts));
            fed.forEach((at, ref) -> {
                String source = ref.get("name").asText();
                JsonNode found = documents.get(source);
                if (found == null) {
                    errors.add(new FieldError(at + "/dataSource/name", "no data source " + source));
                    return;
                }
                ref.path("params").fieldNames().forEachRemaining(param -> {
                    if (!DataSources.declares(found, param)) {
                        errors.add(new FieldError(at + "/dataSource/params/" + param, "data source " + source
                                + " declares no param " + param));
                    }
                });
            });
            return errors;
        });
    }

    /** Creates or replaces a draft after its checks (422); a published version is immutable (409). */
    public Uni<Saved> save(String name, int version, JsonNode document, String by, String bearer) {
        checkName(name, version);
        return problems(document, bearer).flatMap(errors -> {
            if (!errors.isEmpty()) {
                return Uni.createFrom().failure(ProblemException.invalid(errors));
            }
            return Panache.withTransaction(() -> ViewVersionEntity.<ViewVersionEntity>findById(
                    new ViewVersionEntity.Key(name, version)).flatMap(existing -> {
                        lifecycle(name, version, existing == null ? null : existing.status,
                                VersionLifecycle.Action.SAVE);
                        Instant now = Instant.now();
                        ViewVersionEntity view = existing != null ? existing : new ViewVersionEntity();
                        if (existing == null) {
                            view.key = new ViewVersionEntity.Key(name, version);
                            view.status = VersionLifecycle.Status.DRAFT;
                            view.createdAt = now;
                            view.createdBy = by;
                        }
                        view.document = document;
                        List<String> types = new ArrayList<>();
                        document.path("taskTypes").forEach(t -> types.add(t.asText()));
                        view.taskTypes = types.toArray(String[]::new);
                        view.updatedAt = now;
                        return (existing == null ? view.<ViewVersionEntity>persist() : Uni.createFrom().item(view))
                                .map(saved -> new Saved(saved, existing == null));
                    }));
        });
    }

    /** Publishes a draft (409 otherwise); the row is locked, so of two publishes one wins. */
    public Uni<ViewVersionEntity> publish(String name, int version) {
        checkName(name, version);
        return Panache.withTransaction(() -> ViewVersionEntity.<ViewVersionEntity>findById(new ViewVersionEntity.Key(
                name, version), jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).onItem().ifNull().failWith(
                        () -> notFound(name, version))
                .map(view -> {
                    view.status = lifecycle(name, version, view.status, VersionLifecycle.Action.PUBLISH);
                    view.publishedAt = Instant.now();
                    view.updatedAt = view.publishedAt;
                    return view;
                }));
    }

    public Uni<ViewVersionEntity> get(String name, int version) {
        checkName(name, version);
        return Panache.withSession(() -> ViewVersionEntity.<ViewVersionEntity>findById(new ViewVersionEntity.Key(
                name, version)).onItem().ifNull().failWith(() -> notFound(name, version)));
    }

    /** Every version of {@code name}, oldest first. */
    public Uni<List<ViewVersionEntity>> versions(String name) {
        return Panache.withSession(() -> ViewVersionEntity.<ViewVersionEntity>list(
                "key.name = ?1 order by key.version", name));
    }

    /**
     * The view a task of {@code taskType} opened at {@code openedAt} draws: the newest version published for the
     * type by then; null when there was none (the task draws the type's default view).
     */
    public Uni<ViewVersionEntity> forTask(String taskType, Instant openedAt) {
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> session.createNativeQuery(
                "select * from {h-schema}view_version where status = :status and :type = any(task_types) "
                        + "and published_at <= :at order by published_at desc limit 1",
                ViewVersionEntity.class).setParameter("status", VersionLifecycle.Status.PUBLISHED.name()).setParameter(
                        "type", taskType)
                .setParameter("at", openedAt).getSingleResultOrNull()));
    }

    private static VersionLifecycle.Status lifecycle(String name, int version, VersionLifecycle.Status current,
            VersionLifecycle.Action action) {
        String refusal = VersionLifecycle.refusal("view " + name + " version " + version, current, action);
        if (refusal != null) {
            throw current == null ? notFound(name, version) : ProblemException.conflict(refusal);
        }
        return VersionLifecycle.next(current, action).orElseThrow();
    }

    private static void checkName(String name, int version) {
        if (name == null || !name.matches(NAME)) {
            throw ProblemException.badParameter("name", "a view name is lower case letters, digits, '-' and '_'");
        }
        if (version < 1) {
            throw ProblemException.badParameter("version", "a view version is a whole number from 1");
        }
    }

    private static ProblemException notFound(String name, int version) {
        return ProblemException.notFound("view " + name + " version " + version + " does not exist");
    }
}
