package dev.flowline.trigger.domain;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import dev.flowline.catalogcache.CatalogCache;
import dev.flowline.expression.Cron;
import dev.flowline.servicekit.problem.Problem.FieldError;
import dev.flowline.servicekit.problem.ProblemException;
import dev.flowline.trigger.persistence.ScheduleEntity;

/** Creating, changing and removing schedules, validated when saved. */
@ApplicationScoped
public class ScheduleService {

    @Inject
    CatalogCache catalog;

    @Inject
    EventSchemas schemas;

    public Uni<ScheduleEntity> create(ScheduleSpec request) {
        return Panache.withTransaction(() -> validate(request).flatMap(ok -> {
            ScheduleEntity schedule = new ScheduleEntity();
            schedule.id = UUID.randomUUID();
            schedule.revision = 1;
            schedule.createdAt = Instant.now();
            apply(schedule, request);
            return schedule.<ScheduleEntity>persist();
        }));
    }

    public Uni<ScheduleEntity> update(UUID id, ScheduleSpec request) {
        return Panache.withTransaction(() -> require(id).flatMap(schedule -> validate(request).map(ok -> {
            schedule.revision++;
            apply(schedule, request);
            return schedule;
        })));
    }

    public Uni<Void> delete(UUID id) {
        return Panache.withTransaction(() -> require(id).flatMap(ScheduleEntity::delete));
    }

    public Uni<ScheduleEntity> get(UUID id) {
        return Panache.withSession(() -> require(id));
    }

    public Uni<List<ScheduleEntity>> list() {
        return Panache.withSession(() -> ScheduleEntity.listAll());
    }

    /** The next {@code count} fire times after now. */
    public static List<Instant> next(ScheduleEntity schedule, int count) {
        Cron cron = Cron.parse(schedule.cron, ZoneId.of(schedule.timeZone));
        List<Instant> times = new ArrayList<>();
        Instant at = Instant.now();
        while (times.size() < count) {
            at = cron.next(at);
            if (at == null) {
                break;
            }
            times.add(at);
        }
        return times;
    }

    private Uni<Void> validate(ScheduleSpec request) {
        List<FieldError> errors = new ArrayList<>();
        ZoneId zone = null;
        try {
            zone = ZoneId.of(request.timeZoneOrDefault());
        } catch (DateTimeException e) {
            errors.add(new FieldError("/timeZone", "unknown time zone '" + request.timeZone() + "'"));
        }
        if (zone != null) {
            try {
                Cron.parse(request.cron(), zone);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("/cron", e.getMessage()));
            }
        }
        return catalog.workflows().resolve(request.workflow(), request.workflowVersion()).map(workflow -> {
            if (workflow.isEmpty()) {
                errors.add(new FieldError("/workflow", "workflow '" + request.workflow() + "' is not published"));
            } else {
                errors.addAll(schemas.validateAgainst(workflow.get().definition().input(), request
                        .parametersOrEmpty(), "/parameters"));
            }
            if (!errors.isEmpty()) {
                throw ProblemException.invalid(errors);
            }
            return null;
        });
    }

    private static Uni<ScheduleEntity> require(UUID id) {
        return ScheduleEntity.<ScheduleEntity>findById(id).onItem().ifNull()
                .failWith(() -> ProblemException.notFound("schedule " + id + " does not exist"));
    }

    private static void apply(ScheduleEntity schedule, ScheduleSpec request) {
        schedule.cron = request.cron().trim();
        schedule.timeZone = request.timeZoneOrDefault();
        schedule.workflow = request.workflow();
        schedule.workflowVersion = request.workflowVersion();
        schedule.parameters = request.parametersOrEmpty();
        schedule.status = request.status() == null ? "active" : request.status();
        schedule.misfire = request.misfire() == null ? "fire-once" : request.misfire();
        schedule.overlap = request.overlap() == null ? "allow" : request.overlap();
        schedule.description = request.description();
        schedule.updatedAt = Instant.now();
        // A changed cron starts counting from now, not from slots of the old one.
        schedule.lastSlot = Instant.now();
    }
}
