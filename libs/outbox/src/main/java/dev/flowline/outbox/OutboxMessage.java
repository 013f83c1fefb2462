package dev.flowline.outbox;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One message waiting to be (or already) published; see {@link Outbox} and {@link OutboxRelay}. */
@Entity
@Table(name = "outbox")
public class OutboxMessage extends PanacheEntityBase {

    /** Publication order: the relay sends pending messages by ascending sequence. */
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    @Column(name = "message_id", nullable = false, unique = true)
    public UUID messageId;

    @Column(nullable = false)
    public String topic;

    @Column(name = "message_key", nullable = false)
    public String messageKey;

    @Column(name = "message_type", nullable = false)
    public String messageType;

    /** The record value as JSON text, exactly as it goes on the wire. */
    @Column(nullable = false)
    public String payload;

    /** Extra record headers, name to value. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public Map<String, String> headers;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "sent_at")
    public Instant sentAt;

    /** Publication attempts, failed and successful. */
    @Column(nullable = false)
    public int attempts;

    /** Why the last attempt failed; null when none did. */
    @Column(name = "last_error")
    public String lastError;

    /** After a failure: not before this. */
    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    /**
     * Given up on: too many failures, or one no attempt can change (too large, not serializable). The relay leaves it
     * alone until an operator clears this (after fixing the cause).
     */
    @Column(name = "parked_at")
    public Instant parkedAt;
}
