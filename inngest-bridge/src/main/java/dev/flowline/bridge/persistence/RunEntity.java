package dev.flowline.bridge.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

import dev.flowline.bridge.domain.RunStatus;

/** A workflow run as the projection sees it. */
@Entity
@Table(name = "run")
public class RunEntity extends PanacheEntityBase {

    @Id
    @Column(name = "run_id")
    public String runId;

    @Column(nullable = false)
    public String workflow;

    @Column(name = "workflow_version", nullable = false)
    public String workflowVersion;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public RunStatus status;

    @Column(name = "command_id")
    public UUID commandId;

    @Column(name = "trigger_id")
    public UUID triggerId;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public JsonNode input;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public JsonNode output;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public JsonNode error;

    @Column(name = "origin_kind")
    public String originKind;

    @Column(name = "origin_run_id")
    public String originRunId;

    @Column(name = "origin_step")
    public String originStep;

    @Column(name = "waiting_for")
    public String waitingFor;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(name = "ended_at")
    public Instant endedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
