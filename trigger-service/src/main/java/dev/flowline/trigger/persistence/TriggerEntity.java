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

/** A trigger as stored; {@code revision} grows on every change, so compiled forms know when they are stale. */
@Entity
@Table(name = "trigger_definition")
public class TriggerEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "event_type", nullable = false)
    public String eventType;

    @Column(name = "event_version_range")
    public String eventVersionRange;

    @Column(nullable = false)
    public String workflow;

    @Column(name = "workflow_version")
    public String workflowVersion;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "json")
    public JsonNode conditions;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "json")
    public JsonNode parameters;

    @Column(nullable = false)
    public String status;

    public String description;

    @Column(nullable = false)
    public int revision;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static Uni<List<TriggerEntity>> active() {
        return list("status", "active");
    }
}
