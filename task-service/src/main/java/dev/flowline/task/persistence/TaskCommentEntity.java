package dev.flowline.task.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A comment on a task. */
@Entity
@Table(name = "task_comment")
public class TaskCommentEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "task_id", nullable = false)
    public UUID taskId;

    @Column(nullable = false)
    public Instant at;

    @Column(nullable = false)
    public String author;

    @Column(nullable = false)
    public String body;
}
