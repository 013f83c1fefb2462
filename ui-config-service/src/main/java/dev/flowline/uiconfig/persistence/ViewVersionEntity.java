package dev.flowline.uiconfig.persistence;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

import dev.flowline.definitions.VersionLifecycle;

/** One version of a task view. */
@Entity
@Table(name = "view_version")
public class ViewVersionEntity extends PanacheEntityBase {

    @Embeddable
    public record Key(@Column(name = "name") String name, @Column(name = "version") int version)
            implements
                Serializable {
    }

    @EmbeddedId
    public Key key;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public VersionLifecycle.Status status;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public JsonNode document;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "task_types", nullable = false, columnDefinition = "text[]")
    public String[] taskTypes = new String[0];

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "published_at")
    public Instant publishedAt;

    public List<String> taskTypeList() {
        return List.of(taskTypes);
    }
}
