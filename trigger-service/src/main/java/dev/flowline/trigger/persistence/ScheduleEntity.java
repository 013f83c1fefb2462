package dev.flowline.trigger.persistence;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

/** A schedule as stored; {@code lastSlot} is the latest slot any instance fired. */
@Entity
@Table(name = "schedule")
public class ScheduleEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String cron;

    @Column(name = "time_zone", nullable = false)
    public String timeZone;

    @Column(nullable = false)
    public String workflow;

    @Column(name = "workflow_version")
    public String workflowVersion;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "json")
    public JsonNode parameters;

    @Column(nullable = false)
    public String status;

    @Column(nullable = false)
    public String misfire;

    @Column(nullable = false)
    public String overlap;

    public String description;

    @Column(nullable = false)
    public int revision;

    @Column(name = "last_slot")
    public Instant lastSlot;

    /** Why the last firing that failed did (null: none failed), and when. */
    @Column(name = "last_failure")
    public String lastFailure;

    @Column(name = "last_failure_at")
    public Instant lastFailureAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static Uni<List<ScheduleEntity>> active() {
        return list("status", "active");
    }
}
