package dev.flowline.task.domain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import dev.flowline.task.persistence.TaskAuditEntity;
import dev.flowline.task.persistence.TaskCommentEntity;
import dev.flowline.task.persistence.TaskEntity;

/**
 * The inbox: tasks by filter in cursor pages, counts for badges, one task with its history and comments. The list
 * and the counts read only the columns they answer, in SQL on the reactive pool: loading 50 full entities (their
 * JSON columns parsed, their state kept for dirty checks) cost more than the query itself.
 */
@ApplicationScoped
public class TaskQueries {

    /** A task as the list shows it. */
    public record Listing(UUID id, String title, TaskStatus status, String taskType, String errorCode,
            String workflow, String stepId, String runId, String assignee, int priority, Instant dueAt,
            Instant createdAt, long version) {
    }

    public record Page(List<Listing> tasks, String next) {
    }

    public record Count(TaskStatus status, String errorCode, long count) {
    }

    public record TaskDetail(TaskEntity task, List<TaskAuditEntity> history, List<TaskCommentEntity> comments) {
    }

    /** Thrown for a cursor this service did not write, or one written for another sort. */
    public static final class BadCursor extends IllegalArgumentException {
        BadCursor() {
            super("the cursor is not one this service gave for this sort");
        }
    }

    private static final String LISTING_COLUMNS = "id, title, status, task_type, error_code, workflow, step_id, "
            + "run_id, assignee, priority, due_at, created_at, version";

    @Inject
    Pool pool;

    @ConfigProperty(name = "flowline.db.schema")
    String schema;

    public Uni<Page> list(TaskFilter filter, TaskFilter.Sort sort, String cursor, int limit) {
        Where where = conditions(filter);
        String column = switch (sort) {
            case DUE -> "due_at";
            case PRIORITY -> "priority";
            case CREATED -> "created_at";
        };
        // Soonest due first; highest priority and newest first.
        boolean descending = sort != TaskFilter.Sort.DUE;
        if (cursor != null) {
            Cursor position = Cursor.decode(cursor, sort);
            Object value = position.value() instanceof Instant at ? utc(at) : position.value();
            String after = where.bind(value);
            where.and("(" + column + (descending ? " < " : " > ") + after + " or (" + column + " = " + after
                    + " and id > " + where.bind(position.id()) + "))");
        }
        String sql = "select " + LISTING_COLUMNS + " from " + schema + ".task where " + where.sql + " order by "
                + column + (descending ? " desc" : "") + ", id limit " + (limit + 1);
        return pool.preparedQuery(sql).execute(Tuple.from(where.values)).map(rows -> {
            List<Listing> found = new ArrayList<>();
            for (Row row : rows) {
                found.add(listing(row));
            }
            List<Listing> page = found.size() > limit ? found.subList(0, limit) : found;
            String next = found.size() > limit ? Cursor.of(page.get(page.size() - 1), sort).encode() : null;
            return new Page(List.copyOf(page), next);
        });
    }

    /**
     * Counts by status and error code; without a status in the filter, of the work not done (open, claimed). A filter
     * of status, error code and candidate only (the badges) reads the counts the database keeps ({@code task_count},
     * moved by a trigger with every task change); any other filter counts the tasks themselves.
     */
    public Uni<List<Count>> counts(TaskFilter filter) {
        boolean kept = filter.equals(new TaskFilter(filter.status(), null, filter.candidate(), null, null, null, filter
                .errorCode(), null, null, null, null, null, null, null));
        Where where = conditions(filter);
        if (filter.status() == null) {
            // Badges count what is waiting; the ended tasks only grow.
            where.and("status in ('" + TaskStatus.OPEN.name() + "', '" + TaskStatus.CLAIMED.name() + "')");
        }
        String sql = kept
                ? "select status, error_code, sum(count)::bigint from " + schema + ".task_count where " + where.sql
                        + " group by status, error_code having sum(count) > 0 order by status, error_code"
                : "select status, error_code, count(*) from " + schema + ".task where " + where.sql
                        + " group by status, error_code order by status, error_code";
        return pool.preparedQuery(sql).execute(Tuple.from(where.values)).map(rows -> {
            List<Count> counts = new ArrayList<>();
            for (Row row : rows) {
                counts.add(new Count(TaskStatus.valueOf(row.getString(0)), row.getString(1), row.getLong(2)));
            }
            return counts;
        });
    }

    /** The task with its audit trail and comments; null when there is none. */
    public Uni<TaskDetail> get(UUID id) {
        return Panache.withSession(() -> TaskEntity.<TaskEntity>findById(id).flatMap(task -> task == null
                ? Uni.createFrom().<TaskDetail>nullItem()
                : TaskAuditEntity.<TaskAuditEntity>list("taskId = ?1 order by id", id).flatMap(
                        history -> TaskCommentEntity.<TaskCommentEntity>list("taskId = ?1 order by at, id", id)
                                .map(comments -> new TaskDetail(task, history, comments)))));
    }

    private static Listing listing(Row row) {
        return new Listing(row.getUUID("id"), row.getString("title"), TaskStatus.valueOf(row.getString("status")),
                row.getString("task_type"), row.getString("error_code"), row.getString("workflow"), row.getString(
                        "step_id"),
                row.getString("run_id"), row.getString("assignee"), row.getInteger("priority"), row
                        .getOffsetDateTime("due_at").toInstant(),
                row.getOffsetDateTime("created_at").toInstant(),
                row.getLong("version"));
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }

    /** A where clause and its positional values ($1, $2, …). */
    private static final class Where {
        final StringBuilder sql = new StringBuilder("true");
        final List<Object> values = new ArrayList<>();

        String bind(Object value) {
            values.add(value);
            return "$" + values.size();
        }

        void and(String condition) {
            sql.append(" and ").append(condition);
        }
    }

    private static Where conditions(TaskFilter filter) {
        Where where = new Where();
        if (filter.status() != null) {
            // An enum's name, never user text; a literal lets the planner pick the partial index.
            where.and("status = '" + filter.status().name() + "'");
        }
        if (filter.assignee() != null) {
            where.and("assignee = " + where.bind(filter.assignee()));
        }
        if (filter.candidate() != null) {
            where.and("(candidate_roles && " + where.bind(filter.candidate().roles().toArray(String[]::new))
                    + "::text[] or " + where.bind(filter.candidate().user()) + " = any(candidate_users))");
        }
        if (filter.workflow() != null) {
            where.and("workflow = " + where.bind(filter.workflow()));
        }
        if (filter.runId() != null) {
            where.and("run_id = " + where.bind(filter.runId()));
        }
        if (filter.stepId() != null) {
            where.and("step_id = " + where.bind(filter.stepId()));
        }
        if (filter.errorCode() != null) {
            where.and("error_code = " + where.bind(filter.errorCode()));
        }
        if (filter.priorityMin() != null) {
            where.and("priority >= " + where.bind(filter.priorityMin()));
        }
        if (filter.priorityMax() != null) {
            where.and("priority <= " + where.bind(filter.priorityMax()));
        }
        if (filter.dueBefore() != null) {
            where.and("due_at < " + where.bind(utc(filter.dueBefore())));
        }
        if (filter.dueAfter() != null) {
            where.and("due_at >= " + where.bind(utc(filter.dueAfter())));
        }
        if (filter.createdFrom() != null) {
            where.and("created_at >= " + where.bind(utc(filter.createdFrom())));
        }
        if (filter.createdTo() != null) {
            where.and("created_at < " + where.bind(utc(filter.createdTo())));
        }
        if (filter.text() != null) {
            String escaped = filter.text().toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                    .replace("_", "\\_");
            where.and("lower(title) like " + where.bind("%" + escaped + "%"));
        }
        return where;
    }

    /** Where a page ended: the sort's value of the last task, and its id; written for one sort only. */
    record Cursor(TaskFilter.Sort sort, Object value, UUID id) {

        static Cursor of(Listing task, TaskFilter.Sort sort) {
            Object value = switch (sort) {
                case DUE -> task.dueAt();
                case PRIORITY -> task.priority();
                case CREATED -> task.createdAt();
            };
            return new Cursor(sort, value, task.id());
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
