package dev.flowline.catalog.domain;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

import dev.flowline.catalog.messaging.CatalogChangePublisher;
import dev.flowline.catalog.persistence.DefinitionEntity;
import dev.flowline.contracts.CatalogChange;
import dev.flowline.contracts.CatalogKind;
import dev.flowline.contracts.Versions;
import dev.flowline.definitions.StepDefinition;
import dev.flowline.definitions.StepRef;
import dev.flowline.definitions.VersionLifecycle;
import dev.flowline.definitions.WorkflowDefinition;
import dev.flowline.outbox.Outbox;
import dev.flowline.servicekit.problem.ProblemException;

/** The draft → published → deprecated lifecycle of definition versions, for every kind. */
@ApplicationScoped
public class DefinitionService {

    /** The outcome of saving a draft: the stored row, and whether it was new. */
    public record Saved(DefinitionEntity definition, boolean created) {
    }

    /** A draft to save: its kind, name, version and validated document. */
    public record Draft(CatalogKind kind, String name, String version, JsonNode document) {
    }

    /** One page of a listing. */
    public record Listing(List<DefinitionEntity> items, long total) {
    }

    @Inject
    CatalogChangePublisher publisher;

    @Inject
    Outbox outbox;

    @Inject
    PublishChecks publishChecks;

    /** Creates or replaces a draft; a published or deprecated version is immutable (409). */
    public Uni<Saved> saveDraft(Draft draft) {
        return Panache.withTransaction(() -> save(draft));
    }

    /** Saves several drafts in one transaction: all or none (the legacy import). */
    public Uni<List<Saved>> saveDrafts(List<Draft> drafts) {
        return Panache.withTransaction(() -> {
            Uni<List<Saved>> chain = Uni.createFrom().item(new java.util.ArrayList<>());
            for (Draft draft : drafts) {
                chain = chain.flatMap(saved -> save(draft).map(one -> {
                    saved.add(one);
                    return saved;
                }));
            }
            return chain;
        });
    }

    private Uni<Saved> save(Draft draft) {
        return DefinitionEntity.findVersionForUpdate(draft.kind(), draft.name(), draft.version()).flatMap(existing -> {
            Instant now = Instant.now();
            if (existing == null) {
                DefinitionEntity created = new DefinitionEntity();
                created.id = UUID.randomUUID();
                created.kind = draft.kind().wireName();
                created.name = draft.name();
                created.version = draft.version();
                created.status = VersionLifecycle.Status.DRAFT;
                created.document = draft.document();
                created.createdAt = now;
                created.updatedAt = now;
                return created.<DefinitionEntity>persist().map(saved -> new Saved(saved, true));
            }
            lifecycle(existing, VersionLifecycle.Action.SAVE);
            existing.document = draft.document();
            existing.updatedAt = now;
            return Uni.createFrom().item(new Saved(existing, false));
        });
    }

    /**
     * Publishes a draft after the publish checks, and announces it on Kafka in the same transaction (through the
     * outbox). The row is locked first, so of two concurrent publishes one wins and the other sees it published.
     */
    public Uni<DefinitionEntity> publish(CatalogKind kind, String name, String version) {
        return outbox.transaction(() -> requireForUpdate(kind, name, version).flatMap(definition -> {
            VersionLifecycle.Status next = lifecycle(definition, VersionLifecycle.Action.PUBLISH);
            return publishChecks.check(definition).flatMap(ok -> {
                Instant now = Instant.now();
                definition.status = next;
                definition.publishedAt = now;
                definition.updatedAt = now;
                return publisher.announce(definition, CatalogChange.Status.PUBLISHED).replaceWith(definition);
            });
        }));
    }

    /** Marks a published version deprecated (it stays readable and resolvable by exact version). */
    public Uni<DefinitionEntity> deprecate(CatalogKind kind, String name, String version) {
        return outbox.transaction(() -> requireForUpdate(kind, name, version).flatMap(definition -> {
            definition.status = lifecycle(definition, VersionLifecycle.Action.DEPRECATE);
            definition.updatedAt = Instant.now();
            return publisher.announce(definition, CatalogChange.Status.DEPRECATED).replaceWith(definition);
        }));
    }

    public Uni<DefinitionEntity> get(CatalogKind kind, String name, String version) {
        return Panache.withSession(() -> DefinitionEntity.findVersion(kind, name, version).onItem().ifNull()
                .failWith(() -> notFound(kind, name, version)));
    }

    /** Every version of one definition, oldest first. */
    public Uni<List<DefinitionEntity>> versions(CatalogKind kind, String name) {
        return Panache.withSession(() -> DefinitionEntity.versions(kind, name))
                .map(all -> all.stream().sorted((a, b) -> Versions.ORDER.compare(a.version, b.version)).toList());
    }

    /** The newest published version in {@code range}. */
    public Uni<DefinitionEntity> resolve(CatalogKind kind, String name, String range) {
        return Panache.withSession(() -> DefinitionEntity.released(kind, List.of(name)))
                .map(released -> PublishChecks.newestInRange(released, name, range).orElseThrow(
                        () -> ProblemException.notFound("no published version of " + kind.wireName() + " " + name
                                + " satisfies " + range)));
    }

    /**
     * Definition versions whose name contains {@code text} (case-insensitive), by name and version; with
     * {@code status}, only versions in it; with {@code newest}, one version a name (the newest by semantic version of
     * those listed), paged and counted by name.
     */
    public Uni<Listing> list(CatalogKind kind, String text, VersionLifecycle.Status status, boolean newest, int page,
            int size) {
        // '!' escapes LIKE's wildcards, so a '_' in the text matches only '_'.
        String literal = text == null
                ? ""
                : text.toLowerCase().replace("!", "!!").replace("%", "!%").replace("_", "!_");
        String where = "kind = ?1 and lower(name) like ?2 escape '!'" + (status == null ? "" : " and status = ?3");
        Object[] params = status == null
                ? new Object[]{kind.wireName(), "%" + literal + "%"}
                : new Object[]{kind.wireName(), "%" + literal + "%", status};
        if (newest) {
            return Panache.withSession(() -> newestByName(where, params, page, size));
        }
        return Panache.withSession(() -> {
            var query = DefinitionEntity.<DefinitionEntity>find(where, Sort.by("name").and("createdAt"), params)
                    .page(Page.of(page, size));
            return query.list().flatMap(items -> query.count().map(total -> new Listing(items, total)));
        });
    }

    /** A page of names (counted), then their listed versions, of which the newest of each name is kept. */
    private static Uni<Listing> newestByName(String where, Object[] params, int page, int size) {
        return Panache.getSession().flatMap(session -> {
            var names = session.createSelectionQuery("select distinct name from DefinitionEntity where " + where
                    + " order by name", String.class);
            var count = session.createSelectionQuery("select count(distinct name) from DefinitionEntity where "
                    + where, Long.class);
            for (int i = 0; i < params.length; i++) {
                names.setParameter(i + 1, params[i]);
                count.setParameter(i + 1, params[i]);
            }
            return names.setFirstResult(page * size).setMaxResults(size).getResultList().flatMap(onPage -> count
                    .getSingleResult().flatMap(total -> {
                        if (onPage.isEmpty()) {
                            return Uni.createFrom().item(new Listing(List.of(), total));
                        }
                        Object[] withNames = java.util.Arrays.copyOf(params, params.length + 1);
                        withNames[params.length] = onPage;
                        return DefinitionEntity.<DefinitionEntity>list(where + " and name in ?" + withNames.length,
                                withNames).map(versions -> new Listing(newestOfEach(onPage, versions), total));
                    }));
        });
    }

    /** The newest version of each of {@code names}, in that order. */
    static List<DefinitionEntity> newestOfEach(List<String> names, List<DefinitionEntity> versions) {
        Map<String, DefinitionEntity> newest = new LinkedHashMap<>();
        names.forEach(name -> newest.put(name, null));
        for (DefinitionEntity version : versions) {
            // merge treats the null placed above as absent.
            newest.merge(version.name, version, (a, b) -> Versions.ORDER.compare(b.version, a.version) > 0 ? b : a);
        }
        return newest.values().stream().filter(java.util.Objects::nonNull).toList();
    }

    /**
     * The step definition each step of {@code workflow} uses: the newest published version in range, or else the
     * newest draft in range (a workflow being prepared).
     */
    public Uni<Map<String, StepDefinition>> stepsOf(WorkflowDefinition workflow) {
        return Panache.withSession(() -> DefinitionEntity.<DefinitionEntity>list("kind = ?1 and name in ?2",
                CatalogKind.STEP.wireName(), workflow.stepNames())).map(all -> {
                    Map<String, StepDefinition> steps = new LinkedHashMap<>();
                    workflow.steps().forEach((id, step) -> {
                        StepRef uses = step.uses();
                        DefinitionEntity chosen = PublishChecks.newestInRange(all, uses.name(), uses.range())
                                .orElseGet(() -> all.stream().filter(d -> d.name.equals(uses.name()) && uses.accepts(
                                        d.version)).max((a, b) -> Versions.ORDER.compare(a.version, b.version))
                                        .orElseThrow(() -> ProblemException.conflict("step " + id + " uses " + uses
                                                + ", and no version of " + uses.name() + " is in that range")));
                        steps.put(id, StepDefinition.parse(chosen.document));
                    });
                    return steps;
                });
    }

    private static Uni<DefinitionEntity> requireForUpdate(CatalogKind kind, String name, String version) {
        return DefinitionEntity.findVersionForUpdate(kind, name, version).onItem().ifNull()
                .failWith(() -> notFound(kind, name, version));
    }

    private static ProblemException notFound(CatalogKind kind, String name, String version) {
        return ProblemException.notFound(kind.wireName() + " " + name + " version " + version + " does not exist");
    }

    /** The status {@code action} leads to by the shared lifecycle; 409 when it does not allow it. */
    private static VersionLifecycle.Status lifecycle(DefinitionEntity definition, VersionLifecycle.Action action) {
        String refusal = VersionLifecycle.refusal(definition.kind + " " + definition.name + " version "
                + definition.version, definition.status, action);
        if (refusal != null) {
            throw ProblemException.conflict(refusal);
        }
        return VersionLifecycle.next(definition.status, action).orElseThrow();
    }
}
