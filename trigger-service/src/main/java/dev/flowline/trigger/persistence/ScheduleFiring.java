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

    @Column(name = "command_id", nullable = false)
    public UUID commandId;

    @Column(name = "fired_at", nullable = false)
    public Instant firedAt;
}
