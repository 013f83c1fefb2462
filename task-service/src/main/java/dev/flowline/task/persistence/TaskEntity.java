package dev.flowline.task.persistence;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

import dev.flowline.task.domain.TaskStatus;

/** A human task: one per awaiting step attempt; {@code version} is its optimistic lock and its ETag. */
@Entity
@Table(name = "task")
public class TaskEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "correlation_key", nullable = false, unique = true)
    public String correlationKey;

    @Column(name = "run_id", nullable = false)
    public String runId;

    @Column(nullable = false)
    public String workflow;

    @Column(name = "workflow_version", nullable = false)
    public String workflowVersion;

    @Column(name = "step_id", nullable = false)
    public String stepId;

    /** The step definition, {@code name@version}. */
    @Column(nullable = false)
    public String step;

    @Column(nullable = false)
    public int execution;

    @Column(nullable = false)
    public int attempt;

    @Column(name = "error_code", nullable = false)
    public String errorCode;

    @Column(name = "error_message")
    public String errorMessage;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "error_data", columnDefinition = "jsonb")
    public JsonNode errorData;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "step_input", columnDefinition = "jsonb")
    public JsonNode stepInput;

    @Column(name = "task_type", nullable = false)
    public String taskType;

    /** The version of the type's overrides the task was created under (0: none). */
    @Column(name = "type_version", nullable = false)
    public int typeVersion;

    @Column(nullable = false)
    public String title;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public TaskStatus status;

    public String assignee;

    @Column(nullable = false)
    public int priority;

    @Column(name = "due_at", nullable = false)
    public Instant dueAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public JsonNode resolution;

    @Column(name = "resolved_by")
    public String resolvedBy;

    @Column(name = "resolved_at")
    public Instant resolvedAt;

    /** Those who may work on it: anyone holding one of the roles (groups are roles in the token), or the users. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "candidate_roles", nullable = false, columnDefinition = "text[]")
    public String[] candidateRoles = new String[0];

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "candidate_users", nullable = false, columnDefinition = "text[]")
    public String[] candidateUsers = new String[0];

    public String description;

    /** How many of the type's escalation rules have run; when the next is due (null: none left). */
    @Column(name = "escalations_done", nullable = false)
    public int escalationsDone;

    @Column(name = "next_escalation_at")
    public Instant nextEscalationAt;

    @Version
    @Column(nullable = false)
    public long version;

    public List<String> candidateRoleList() {
        return List.of(candidateRoles);
    }

    public List<String> candidateUserList() {
        return List.of(candidateUsers);
    }
}
