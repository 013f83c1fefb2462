-- Per-type overrides of the derived task types, versioned: a task keeps the version it was created under.
CREATE TABLE task_type_override (
    type_id    text        NOT NULL,
    version    integer     NOT NULL,
    document   jsonb       NOT NULL,
    created_at timestamptz NOT NULL,
    created_by text        NOT NULL,
    PRIMARY KEY (type_id, version)
);

ALTER TABLE task ADD COLUMN type_version integer NOT NULL DEFAULT 0;
