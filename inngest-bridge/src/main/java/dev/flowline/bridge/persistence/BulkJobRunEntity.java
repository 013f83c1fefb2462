package dev.flowline.bridge.persistence;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

import dev.flowline.bridge.domain.BulkOperation;

/** What a bulk job did with one run it matched. */
@Entity
@Table(name = "bulk_job_run")
public class BulkJobRunEntity extends PanacheEntityBase {

    @Embeddable
    public record Key(@Column(name = "job_id") UUID jobId, @Column(name = "run_id") String runId)
            implements
                Serializable {
    }

    @EmbeddedId
    public Key key;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public BulkOperation.Outcome outcome;

    @Column(name = "command_id")
    public UUID commandId;

    @Column(name = "new_run_id")
    public String newRunId;

    /** Why it was refused. */
    public String detail;

    @Column(nullable = false)
    public Instant at;
}
