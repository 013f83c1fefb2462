package dev.flowline.trigger.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import dev.flowline.contracts.WorkflowCommand;
import dev.flowline.contracts.WorkflowRunUpdate;
import dev.flowline.expression.Cron;
import dev.flowline.outbox.Outbox;
import dev.flowline.servicekit.reactive.InOrder;
import dev.flowline.trigger.persistence.ScheduleEntity;
import dev.flowline.trigger.persistence.ScheduleFiring;

/**
 * Fires due schedule slots. Every instance ticks; a slot fires once because its firing row (schedule id, slot) is
 * the primary key and the command id is derived from the same pair: the instance that loses the race rolls back.
 * Slots missed by more than the misfire threshold (downtime) are handled by the schedule's policy: {@code fire-once}
 * fires the latest missed slot once, {@code skip} fires none of them. With overlap {@code skip}, a slot is skipped
 * while the run of the previous firing is still active (known from the bridge's run updates).
 */
@ApplicationScoped
public class ScheduleRunner {

    private static final Logger LOG = Logger.getLogger(ScheduleRunner.class);
    /** A bound on the slots examined per schedule and tick (a schedule every second after a day down). */
    private static final int MAX_SLOTS = 10_000;

    @Inject
    CommandService commands;

    @Inject
    Outbox outbox;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @ConfigProperty(name = "flowline.schedules.misfire-threshold", defaultValue = "60s")
    Duration misfireThreshold;

    @ConfigProperty(name = "flowline.schedules.enabled", defaultValue = "true")
    boolean enabled;

    Clock clock = Clock.systemUTC();

    @Scheduled(every = "${flowline.schedules.tick:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        if (!enabled) {
            return Uni.createFrom().voidItem();
        }
        return fireDue(Instant.now(clock)).replaceWithVoid().onFailure().recoverWithUni(e -> {
            LOG.warnf("schedule tick failed: %s", e.toString());
            return Uni.createFrom().voidItem();
        });
    }

    /** Fires every active schedule's due slots up to {@code now}; answers how many this call fired. */
    public Uni<Integer> fireDue(Instant now) {
        return Panache.withSession(ScheduleEntity::active)
                .flatMap(schedules -> Multi.createFrom().iterable(schedules)
                        .onItem().transformToUniAndConcatenate(s -> fire(s.id, now))
                        .collect().asList())
                .map(counts -> counts.stream().mapToInt(Integer::intValue).sum());
    }

    private Uni<Integer> fire(UUID scheduleId, Instant now) {
        return outbox.transaction(() -> ScheduleEntity.<ScheduleEntity>findById(scheduleId).flatMap(s -> {
            if (s == null || !"active".equals(s.status)) {
                return Uni.createFrom().item(0);
            }
            List<Instant> due = dueSlots(s, now);
            if (due.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            List<Instant> toFire = slotsToFire(due, s.misfire, now);
            s.lastSlot = due.get(due.size() - 1);
            java.util.concurrent.atomic.AtomicInteger fired = new java.util.concurrent.atomic.AtomicInteger();
            // A catch-up after downtime can be many slots: InOrder, not a loop-built flatMap chain.
            return InOrder.each(toFire, slot -> fireSlot(s, slot).invoke(one -> {
                if (one) {
                    fired.incrementAndGet();
                }
            })).map(ignored -> fired.get());
        })).onFailure().recoverWithUni(e -> {
            if (firedElsewhere(e)) {
                // Another instance fired the same slot first: its rows won; nothing of ours was committed.
                LOG.debugf("schedule %s: %s", scheduleId, e.toString());
                return Uni.createFrom().item(0);
            }
            return failed(scheduleId, e).replaceWith(0);
        });
    }

    /** The firing rolled back: recorded on the schedule (its own transaction), logged, counted. */
    private Uni<Void> failed(UUID scheduleId, Throwable e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        LOG.warnf("schedule %s did not fire: %s", scheduleId, why);
        registry.counter("flowline.schedules.failures").increment();
        String kept = why.length() > 2000 ? why.substring(0, 2000) : why;
        return Panache.withTransaction(() -> ScheduleEntity.update("lastFailure = ?1, lastFailureAt = ?2 where id = ?3",
                kept, Instant.now(clock), scheduleId)).replaceWithVoid().onFailure().recoverWithUni(again -> {
                    LOG.warnf("schedule %s: its failure could not be recorded either: %s", scheduleId, again
                            .toString());
                    return Uni.createFrom().voidItem();
                });
    }

    /** Two instances fired the same slot: the second one's insert of the firing row is refused. */
    static boolean firedElsewhere(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.hibernate.exception.ConstraintViolationException
                    || cause instanceof jakarta.persistence.OptimisticLockException) {
                return true;
            }
        }
        return false;
    }

    static List<Instant> dueSlots(ScheduleEntity s, Instant now) {
        Cron cron = Cron.parse(s.cron, ZoneId.of(s.timeZone));
        Instant from = s.lastSlot != null ? s.lastSlot : s.createdAt;
        List<Instant> due = new ArrayList<>();
        Instant next = cron.next(from);
        while (next != null && !next.isAfter(now) && due.size() < MAX_SLOTS) {
            due.add(next);
            next = cron.next(next);
        }
        return due;
    }

    List<Instant> slotsToFire(List<Instant> due, String misfire, Instant now) {
        Instant threshold = now.minus(misfireThreshold);
        List<Instant> recent = new ArrayList<>(due.stream().filter(slot -> !slot.isBefore(threshold)).toList());
        List<Instant> missed = due.stream().filter(slot -> slot.isBefore(threshold)).toList();
        if ("fire-once".equals(misfire) && !missed.isEmpty()) {
            recent.add(0, missed.get(missed.size() - 1));
        }
        return recent;
    }

    private Uni<Boolean> fireSlot(ScheduleEntity s, Instant slot) {
        ScheduleFiring.Key key = new ScheduleFiring.Key(s.id, slot);
        return ScheduleFiring.<ScheduleFiring>findById(key).flatMap(existing -> {
            if (existing != null) {
                return Uni.createFrom().item(false);
            }
            return previousRunActive(s).flatMap(active -> {
                ScheduleFiring firing = new ScheduleFiring();
                firing.key = key;
                firing.firedAt = Instant.now(clock);
                if (active) {
                    // The firing row still claims the slot, so another instance does not fire it either.
                    firing.outcome = ScheduleFiring.SKIPPED_OVERLAP;
                    LOG.debugf("schedule %s: slot %s skipped, the previous run is still active", s.id, slot);
                    return firing.persist().replaceWith(false);
                }
                UUID commandId = WorkflowCommand.scheduleCommandId(s.id, slot);
                firing.commandId = commandId;
                WorkflowCommand command = new WorkflowCommand(commandId, s.workflow, s.workflowVersion,
                        s.parameters, new WorkflowCommand.Source(WorkflowCommand.SourceType.SCHEDULE, null, null,
                                null, s.id, slot),
                        Instant.now(clock));
                return firing.persist().flatMap(f -> commands.issue(command, null)).replaceWith(true);
            });
        });
    }

    /**
     * With overlap {@code skip}: whether the run of the latest fired slot has not finished. A run the bridge has not
     * reported yet counts as active (it is queued or starting), so a schedule whose runs are never reported fires
     * once and then waits.
     */
    private Uni<Boolean> previousRunActive(ScheduleEntity s) {
        if (!"skip".equals(s.overlap)) {
            return Uni.createFrom().item(false);
        }
        return ScheduleFiring.<ScheduleFiring>find("key.scheduleId = ?1 and outcome = ?2 order by key.slot desc",
                s.id, ScheduleFiring.FIRED).firstResult().flatMap(
                        latest -> latest == null
                                ? Uni.createFrom().item(false)
                                : commands.find(latest.commandId)
                                        .map(command -> command != null && (command.runStatus == null
                                                || !WorkflowRunUpdate.RunStatus.valueOf(command.runStatus)
                                                        .terminal())));
    }
}
