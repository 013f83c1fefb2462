-- Task views, versioned: a draft is edited in place; a published version never changes (the shared lifecycle).
CREATE TABLE view_version (
    name         text        NOT NULL,
    version      integer     NOT NULL,
    status       text        NOT NULL,
    document     jsonb       NOT NULL,
    -- The task types (step:CODE) the view draws, from the document, for the lookup by type.
    task_types   text[]      NOT NULL,
    created_at   timestamptz NOT NULL,
    created_by   text        NOT NULL,
    updated_at   timestamptz NOT NULL,
    published_at timestamptz,
    PRIMARY KEY (name, version)
);
-- The view of a task: the newest version published for its type by the time the task opened.
CREATE INDEX view_version_types ON view_version USING gin (task_types) WHERE status = 'PUBLISHED';
