package dev.flowline.trigger.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import dev.flowline.servicekit.problem.ProblemException;
import dev.flowline.trigger.persistence.TriggerEntity;

/** Creating, changing and removing triggers; every change is validated and recompiles the trigger set. */
@ApplicationScoped
public class TriggerService {

    @Inject
    TriggerValidator validator;

    @Inject
    TriggerSet triggers;

    public Uni<TriggerEntity> create(TriggerSpec request) {
        return Panache.withTransaction(() -> validator.validate(request).flatMap(ok -> {
            TriggerEntity trigger = new TriggerEntity();
            trigger.id = UUID.randomUUID();
            trigger.revision = 1;
            trigger.createdAt = Instant.now();
            apply(trigger, request);
            return trigger.<TriggerEntity>persist();
        })).call(this::reload);
    }

    public Uni<TriggerEntity> update(UUID id, TriggerSpec request) {
        return Panache.withTransaction(() -> require(id).flatMap(trigger -> validator.validate(request).map(ok -> {
            trigger.revision++;
            apply(trigger, request);
            return trigger;
        }))).call(this::reload);
    }

    public Uni<Void> delete(UUID id) {
        return Panache.withTransaction(() -> require(id).flatMap(TriggerEntity::delete)).call(this::reload);
    }

    public Uni<TriggerEntity> get(UUID id) {
        return Panache.withSession(() -> require(id));
    }

    public Uni<List<TriggerEntity>> list(String eventType) {
        return Panache.withSession(() -> eventType == null
                ? TriggerEntity.listAll()
                : TriggerEntity.list("eventType", eventType));
    }

    private Uni<Void> reload(Object ignored) {
        return Panache.withSession(triggers::load).replaceWithVoid();
    }

    private static Uni<TriggerEntity> require(UUID id) {
        return TriggerEntity.<TriggerEntity>findById(id).onItem().ifNull()
                .failWith(() -> ProblemException.notFound("trigger " + id + " does not exist"));
    }

    /** A trigger that is not saved, for the dry run. */
    public static TriggerEntity draft(TriggerSpec request) {
        TriggerEntity trigger = new TriggerEntity();
        apply(trigger, request);
        return trigger;
    }

    private static void apply(TriggerEntity trigger, TriggerSpec request) {
        trigger.eventType = request.eventType();
        trigger.eventVersionRange = request.eventVersion();
        trigger.workflow = request.workflow();
        trigger.workflowVersion = request.workflowVersion();
        trigger.conditions = request.conditionsOrEmpty();
        trigger.parameters = request.parametersOrEmpty();
        trigger.status = request.statusOrDefault();
        trigger.description = request.description();
        trigger.updatedAt = Instant.now();
    }
}
