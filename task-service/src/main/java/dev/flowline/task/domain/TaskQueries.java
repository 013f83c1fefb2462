package dev.flowline.task.domain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import dev.flowline.task.persistence.TaskAuditEntity;
import dev.flowline.task.persistence.TaskCandidateEntity;
import dev.flowline.task.persistence.TaskCommentEntity;
import dev.flowline.task.persistence.TaskEntity;

/** The inbox: tasks by filter in cursor pages, counts for badges, one task with its history and comments. */
@ApplicationScoped
public class TaskQueries {

    public record Page(List<TaskEntity> tasks, String next) {
    }

    public record Count(TaskStatus status, String errorCode, long count) {
    }

    public record TaskDetail(TaskEntity task, List<String> candidates, List<TaskAuditEntity> history,
            List<TaskCommentEntity> comments) {
    }

    /** Thrown for a cursor this service did not write, or one written for another sort. */
    public static final class BadCursor extends IllegalArgumentException {
        BadCursor() {
            super("the cursor is not one this service gave for this sort");
        }
    }

    public Uni<Page> list(TaskFilter filter, TaskFilter.Sort sort, String cursor, int limit) {
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        conditions(filter, where, params);
        String column = switch (sort) {
            case DUE -> "t.dueAt";
            case PRIORITY -> "t.priority";
            case CREATED -> "t.createdAt";
        };
        // Soonest due first; highest priority and newest first.
        boolean descending = sort != TaskFilter.Sort.DUE;
        if (cursor != null) {
            Cursor position = Cursor.decode(cursor, sort);
            where.append(" and (" + column + (descending ? " < " : " > ") + ":cursorValue or (" + column
                    + " = :cursorValue and t.id > :cursorId))");
            params.put("cursorValue", position.value());
            params.put("cursorId", position.id());
        }
        String query = "from TaskEntity t where " + where + " order by " + column + (descending ? " desc" : "")
                + ", t.id";
        return Panache.withSession(() -> TaskEntity.<TaskEntity>find(query, params).range(0, limit).list()).map(
                found -> {
                    List<TaskEntity> page = new ArrayList<>(found.size() > limit ? found.subList(0, limit) : found);
                    String next = null;
                    if (found.size() > limit) {
                        next = Cursor.of(page.get(page.size() - 1), sort).encode();
                    }
                    return new Page(page, next);
                });
    }

    /** Counts by status and error code; without a status in the filter, of the work not done (open, claimed). */
    public Uni<List<Count>> counts(TaskFilter filter) {
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        conditions(filter, where, params);
        if (filter.status() == null) {
            // Badges count what is waiting; the ended tasks only grow.
            where.append(" and t.status in :pending");
            params.put("pending", List.of(TaskStatus.OPEN, TaskStatus.CLAIMED));
        }
        String query = "select t.status, t.errorCode, count(t) from TaskEntity t where " + where
                + " group by t.status, t.errorCode order by t.status, t.errorCode";
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> {
            var select = session.createSelectionQuery(query, Object[].class);
            params.forEach(select::setParameter);
            return select.getResultList();
        })).map(rows -> rows.stream().map(row -> new Count((TaskStatus) row[0], (String) row[1], (Long) row[2]))
                .toList());
    }

    /** The task with its candidates, audit trail and comments; null when there is none. */
    public Uni<TaskDetail> get(UUID id) {
        return Panache.withSession(() -> TaskEntity.<TaskEntity>findById(id).flatMap(task -> task == null
                ? Uni.createFrom().<TaskDetail>nullItem()
                : TaskCandidateEntity.<TaskCandidateEntity>list("key.taskId", id).flatMap(candidates -> TaskAuditEntity
                        .<TaskAuditEntity>list("taskId = ?1 order by id", id).flatMap(history -> TaskCommentEntity
                                .<TaskCommentEntity>list("taskId = ?1 order by at, id", id)
                                .map(comments -> new TaskDetail(
                                        task, candidates.stream().map(c -> c.key.role()).sorted().toList(), history,
                                        comments))))));
    }

    private static void conditions(TaskFilter filter, StringBuilder where, Map<String, Object> params) {
        if (filter.status() != null) {
            where.append(" and t.status = :status");
            params.put("status", filter.status());
        }
        if (filter.assignee() != null) {
            where.append(" and t.assignee = :assignee");
            params.put("assignee", filter.assignee());
        }
        if (filter.candidateRoles() != null) {
            where.append(" and exists (select 1 from TaskCandidateEntity c where c.key.taskId = t.id"
                    + " and c.key.role in :roles)");
            params.put("roles", filter.candidateRoles().isEmpty() ? List.of("") : filter.candidateRoles());
        }
        if (filter.workflow() != null) {
            where.append(" and t.workflow = :workflow");
            params.put("workflow", filter.workflow());
        }
        if (filter.runId() != null) {
            where.append(" and t.runId = :runId");
            params.put("runId", filter.runId());
        }
        if (filter.stepId() != null) {
            where.append(" and t.stepId = :stepId");
            params.put("stepId", filter.stepId());
        }
        if (filter.errorCode() != null) {
            where.append(" and t.errorCode = :errorCode");
            params.put("errorCode", filter.errorCode());
        }
        if (filter.priorityMin() != null) {
            where.append(" and t.priority >= :priorityMin");
            params.put("priorityMin", filter.priorityMin());
        }
        if (filter.priorityMax() != null) {
            where.append(" and t.priority <= :priorityMax");
            params.put("priorityMax", filter.priorityMax());
        }
        if (filter.dueBefore() != null) {
            where.append(" and t.dueAt < :dueBefore");
            params.put("dueBefore", filter.dueBefore());
        }
        if (filter.dueAfter() != null) {
            where.append(" and t.dueAt >= :dueAfter");
            params.put("dueAfter", filter.dueAfter());
        }
        if (filter.createdFrom() != null) {
            where.append(" and t.createdAt >= :createdFrom");
            params.put("createdFrom", filter.createdFrom());
        }
        if (filter.createdTo() != null) {
            where.append(" and t.createdAt < :createdTo");
            params.put("createdTo", filter.createdTo());
        }
        if (filter.text() != null) {
            where.append(" and lower(t.title) like :text");
            params.put("text", "%" + filter.text().toLowerCase(java.util.Locale.ROOT).replace("%", "\\%").replace(
                    "_", "\\_") + "%");
        }
    }

    /** Where a page ended: the sort's value of the last task, and its id; written for one sort only. */
    record Cursor(TaskFilter.Sort sort, Object value, UUID id) {

        static Cursor of(TaskEntity task, TaskFilter.Sort sort) {
            Object value = switch (sort) {
                case DUE -> task.dueAt;
                case PRIORITY -> task.priority;
                case CREATED -> task.createdAt;
            };
            return new Cursor(sort, value, task.id);
        }

        String encode() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString((sort + "|" + value + "|" + id).getBytes(
                    StandardCharsets.UTF_8));
        }

        static Cursor decode(String cursor, TaskFilter.Sort expected) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(
                        "\\|", 3);
                if (parts.length != 3 || !parts[0].equals(expected.name())) {
                    throw new BadCursor();
                }
                Object value = expected == TaskFilter.Sort.PRIORITY
                        ? (Object) Integer.valueOf(parts[1])
                        : Instant.parse(parts[1]);
                return new Cursor(expected, value, UUID.fromString(parts[2]));
            } catch (IllegalArgumentException | java.time.DateTimeException e) {
                throw new BadCursor();
            }
        }
    }
}
