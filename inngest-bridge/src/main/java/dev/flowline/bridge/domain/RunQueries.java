package dev.flowline.bridge.domain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import dev.flowline.bridge.persistence.RunEntity;
import dev.flowline.bridge.persistence.StepAttemptEntity;
import dev.flowline.bridge.persistence.TaskResolutionEntity;

/** Reads the runs projection: runs by filter, newest first, in cursor pages; one run with its step attempts. */
@ApplicationScoped
public class RunQueries {

    /** A page of runs and the cursor of the next one (null when this is the last). */
    public record Page(List<RunEntity> runs, String next) {
    }

    /** A run with every step attempt in the order they started, and the resolution waiting for it, if any. */
    public record RunDetail(RunEntity run, List<StepAttemptEntity> attempts, TaskResolutionEntity pendingResolution) {
    }

    /** Thrown for a cursor this service did not write. */
    public static final class BadCursor extends IllegalArgumentException {
        BadCursor() {
            super("the cursor is not one this service gave");
        }
    }

    public Uni<Page> list(RunFilter filter, String cursor, int limit) {
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (filter.workflow() != null) {
            where.append(" and r.workflow = :workflow");
            params.put("workflow", filter.workflow());
        }
        if (filter.version() != null) {
            where.append(" and r.workflowVersion = :version");
            params.put("version", filter.version());
        }
        if (filter.status() != null) {
            where.append(" and r.status = :status");
            params.put("status", filter.status());
        }
        if (filter.from() != null) {
            where.append(" and r.startedAt >= :from");
            params.put("from", filter.from());
        }
        if (filter.to() != null) {
            where.append(" and r.startedAt < :to");
            params.put("to", filter.to());
        }
        if (filter.command() != null) {
            where.append(" and r.commandId = :command");
            params.put("command", filter.command());
        }
        if (filter.trigger() != null) {
            where.append(" and r.triggerId = :trigger");
            params.put("trigger", filter.trigger());
        }
        if (filter.errorCode() != null) {
            where.append(" and exists (select 1 from StepAttemptEntity a where a.key.runId = r.runId"
                    + " and a.errorCode = :errorCode)");
            params.put("errorCode", filter.errorCode());
        }
        if (cursor != null) {
            Cursor position = decode(cursor);
            where.append(" and (r.startedAt < :cursorAt or (r.startedAt = :cursorAt and r.runId < :cursorRun))");
            params.put("cursorAt", position.startedAt());
            params.put("cursorRun", position.runId());
        }
        String query = "from RunEntity r where " + where + " order by r.startedAt desc, r.runId desc";
        // range is inclusive: one more than the page, to know whether there is a next one.
        return Panache.withSession(() -> RunEntity.<RunEntity>find(query, params).range(0, limit).list()).map(runs -> {
            List<RunEntity> page = new ArrayList<>(runs);
            String next = null;
            if (page.size() > limit) {
                page = page.subList(0, limit);
            }
            if (runs.size() > limit) {
                RunEntity last = page.get(page.size() - 1);
                next = encode(last.startedAt, last.runId);
            }
            return new Page(page, next);
        });
    }

    public Uni<RunDetail> get(String runId) {
        return Panache.withSession(() -> RunEntity.<RunEntity>findById(runId).flatMap(run -> run == null
                ? Uni.createFrom().<RunDetail>nullItem()
                : StepAttemptEntity.<StepAttemptEntity>list(
                        "key.runId = ?1 order by startedAt, key.stepId, key.execution, key.attempt", runId)
                        .flatMap(attempts -> (run.waitingFor == null
                                ? Uni.createFrom().<TaskResolutionEntity>nullItem()
                                : TaskResolutionEntity.<TaskResolutionEntity>findById(run.waitingFor))
                                .map(pending -> new RunDetail(run, attempts, pending)))));
    }

    static String encode(Instant startedAt, String runId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((startedAt + "|" + runId).getBytes(
                StandardCharsets.UTF_8));
    }

    /** Where a page ends: the last run's start and id (runs are ordered by both, newest first). */
    record Cursor(Instant startedAt, String runId) {
    }

    static Cursor decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int bar = text.indexOf('|');
            if (bar < 0) {
                throw new BadCursor();
            }
            return new Cursor(Instant.parse(text.substring(0, bar)), text.substring(bar + 1));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new BadCursor();
        }
    }
}
