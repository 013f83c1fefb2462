package dev.flowline.bridge.persistence;

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

/** A task resolution received for a run, kept until the run took it. */
@Entity
@Table(name = "task_resolution")
public class TaskResolutionEntity extends PanacheEntityBase {

    @Id
    @Column(name = "correlation_key")
    public String correlationKey;

    @Column(name = "run_id", nullable = false)
    public String runId;

    @Column(name = "message_id", nullable = false)
    public UUID messageId;

    /** The TaskResolved record as received. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public JsonNode record;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    @Column(name = "sent_at")
    public Instant sentAt;

    @Column(name = "send_count", nullable = false)
    public int sendCount;

    @Column(name = "taken_at")
    public Instant takenAt;
}
