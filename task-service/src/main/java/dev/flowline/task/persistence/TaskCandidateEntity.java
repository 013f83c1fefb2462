package dev.flowline.task.persistence;

import java.io.Serializable;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A role whose holders may work on a task. */
@Entity
@Table(name = "task_candidate")
public class TaskCandidateEntity extends PanacheEntityBase {

    @Embeddable
    public record Key(@Column(name = "task_id") UUID taskId, @Column(name = "role") String role)
            implements
                Serializable {
    }

    @EmbeddedId
    public Key key;

    public static TaskCandidateEntity of(UUID taskId, String role) {
        TaskCandidateEntity entity = new TaskCandidateEntity();
        entity.key = new Key(taskId, role);
        return entity;
    }
}
