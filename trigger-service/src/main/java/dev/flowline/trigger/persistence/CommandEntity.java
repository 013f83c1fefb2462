package dev.flowline.trigger.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A command as recorded when it was accepted. */
@Entity
@Table(name = "command")
public class CommandEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String workflow;

    @Column(name = "workflow_version")
    public String workflowVersion;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public JsonNode parameters;

    @Column(name = "source_type", nullable = false)
    public String sourceType;

    @Column(name = "requested_by")
    public String requestedBy;

    @Column(name = "trigger_id")
    public UUID triggerId;

    @Column(name = "event_id")
    public String eventId;

    @Column(name = "schedule_id")
    public UUID scheduleId;

    public Instant slot;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    @Column(name = "run_id")
    public String runId;

    /** {@link dev.flowline.contracts.WorkflowRunUpdate.RunStatus} by name; null until the bridge reports the run. */
    @Column(name = "run_status")
    public String runStatus;

    @Column(name = "run_updated_at")
    public Instant runUpdatedAt;

    /** The message id of the last run update applied. */
    @Column(name = "run_message_id")
    public UUID runMessageId;

    @Column(name = "run_detail")
    public String runDetail;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
