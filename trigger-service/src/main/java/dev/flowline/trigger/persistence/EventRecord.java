package dev.flowline.trigger.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One received event and what it caused (or why it was rejected). */
@Entity
@Table(name = "event_record")
public class EventRecord extends PanacheEntityBase {

    @Id
    @Column(name = "event_id")
    public String eventId;

    @Column(name = "event_type")
    public String eventType;

    public String source;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    /** {@code evaluated} or {@code rejected}. */
    @Column(nullable = false)
    public String outcome;

    public String reason;

    /** The per-trigger results: fired or not, the first failing condition, the command id. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public JsonNode evaluation;
}
