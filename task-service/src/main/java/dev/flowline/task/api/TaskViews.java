package dev.flowline.task.api;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

import dev.flowline.task.domain.TaskQueries;
import dev.flowline.task.persistence.TaskAuditEntity;
import dev.flowline.task.persistence.TaskCommentEntity;
import dev.flowline.task.persistence.TaskEntity;

/** The task API's documents. */
public final class TaskViews {

    private TaskViews() {
    }

    private static String word(Enum<?> value) {
        return value == null ? null : value.name().toLowerCase(Locale.ROOT);
    }

    /** Where the run is (inngest-bridge's runs API), and the task's screen (ui-config-service's task views). */
    @RegisterForReflection
    public record Links(String run, String view) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    public record TaskSummary(UUID id, String title, String status, String taskType, String errorCode,
            String workflow, String stepId, String runId, String assignee, int priority, Instant dueAt,
            Instant createdAt, long version) {
        static TaskSummary of(TaskQueries.Listing t) {
            return new TaskSummary(t.id(), t.title(), word(t.status()), t.taskType(), t.errorCode(), t.workflow(), t
                    .stepId(), t.runId(), t.assignee(), t.priority(), t.dueAt(), t.createdAt(), t.version());
        }
    }

    @RegisterForReflection
    public record TaskPage(List<TaskSummary> items, String next) {
        static TaskPage of(TaskQueries.Page page) {
            return new TaskPage(page.tasks().stream().map(TaskSummary::of).toList(), page.next());
        }
    }

    @RegisterForReflection
    public record Count(String status, String errorCode, long count) {
        static Count of(TaskQueries.Count count) {
            return new Count(word(count.status()), count.errorCode(), count.count());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    public record HistoryEntry(Instant at, String actor, String action, String from, String to, JsonNode detail) {
        static HistoryEntry of(TaskAuditEntity a) {
            return new HistoryEntry(a.at, a.actor, a.action, word(a.fromStatus), word(a.toStatus), a.detail);
        }
    }

    @RegisterForReflection
    public record Comment(UUID id, Instant at, String author, String body) {
        static Comment of(TaskCommentEntity c) {
            return new Comment(c.id, c.at, c.author, c.body);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    public record TaskDetail(UUID id, String title, String description, String status, String taskType,
            int typeVersion, String correlationKey,
            String workflow, String workflowVersion, String runId, String stepId, String step, int execution,
            int attempt, String errorCode, String errorMessage, JsonNode errorData, JsonNode stepInput,
            List<String> candidates, List<String> candidateUsers, String assignee, int priority, Instant dueAt,
            int escalations, Instant nextEscalationAt, Instant createdAt,
            Instant updatedAt, JsonNode resolution, String resolvedBy, Instant resolvedAt, long version,
            List<HistoryEntry> history, List<Comment> comments, Links links) {
        static TaskDetail of(TaskQueries.TaskDetail detail, String runsUrl, String viewsUrl) {
            TaskEntity t = detail.task();
            return new TaskDetail(t.id, t.title, t.description, word(t.status), t.taskType, t.typeVersion,
                    t.correlationKey,
                    t.workflow,
                    t.workflowVersion, t.runId, t.stepId, t.step, t.execution, t.attempt, t.errorCode,
                    t.errorMessage, t.errorData, t.stepInput, t.candidateRoleList(), t.candidateUserList(), t.assignee,
                    t.priority, t.dueAt, t.escalationsDone, t.nextEscalationAt,
                    t.createdAt, t.updatedAt, t.resolution, t.resolvedBy, t.resolvedAt, t.version, detail.history()
                            .stream().map(HistoryEntry::of).toList(),
                    detail.comments().stream().map(Comment::of).toList(),
                    new Links(runsUrl + t.runId, viewsUrl + t.id));
        }
    }

    @RegisterForReflection
    public record AssignRequest(String assignee) {
    }

    @RegisterForReflection
    public record CancelRequest(String reason) {
    }

    @RegisterForReflection
    public record CommentRequest(String body) {
    }

    /** {@code action}: retry (optionally with {@code input}), skip (with {@code output}) or abort (with a reason). */
    @RegisterForReflection
    public record ResolveRequest(String action, JsonNode input, JsonNode output, String reason, JsonNode data) {
    }

    /** One action on many tasks; {@code resolution} for {@code resolve}, {@code assignee} for {@code assign}. */
    @RegisterForReflection
    public record BulkRequest(String action, List<UUID> taskIds, String assignee, ResolveRequest resolution) {
    }

    @RegisterForReflection
    public record BulkResult(List<dev.flowline.task.domain.BulkTaskChange.Outcome> results, long changed) {
    }
}
