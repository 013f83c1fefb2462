package dev.flowline.trigger.persistence;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** That a schedule fired for a slot; its key makes each slot fire once across instances. */
@Entity
@Table(name = "schedule_firing")
public class ScheduleFiring extends PanacheEntityBase {

    @Embeddable
    public record Key(@Column(name = "schedule_id") UUID scheduleId, Instant slot) implements Serializable {
    }

    @EmbeddedId
    public Key key;

    /** The command of a firing; null when the slot was skipped. */
    @Column(name = "command_id")
    public UUID commandId;

    /** {@code fired}, or {@code skipped-overlap} when the overlap policy skipped the slot. */
    @Column(nullable = false)
    public String outcome = FIRED;

    public static final String FIRED = "fired";
    public static final String SKIPPED_OVERLAP = "skipped-overlap";

    @Column(name = "fired_at", nullable = false)
    public Instant firedAt;
}
