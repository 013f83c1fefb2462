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

import dev.flowline.bridge.domain.BulkOperation;

/** A bulk re-run or resume: what it matched runs by, and how far it got. */
@Entity
@Table(name = "bulk_job")
public class BulkJobEntity extends PanacheEntityBase {

    @Id
    @Column(name = "job_id")
    public UUID jobId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public BulkOperation operation;

    /** The RunFilter, as JSON. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public JsonNode filter;

    /** The operation's own parameters ({@code version} for re-runs, {@code fromStep} for resumes). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public JsonNode parameters;

    @Column(name = "requested_by", nullable = false)
    public String requestedBy;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public BulkOperation.JobStatus status;

    /** How many runs the filter matched, once known. */
    public Integer matched;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "finished_at")
    public Instant finishedAt;
}
