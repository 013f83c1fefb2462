-- Inbox filters people save, each owned by one user and optionally shared with a role.
CREATE TABLE saved_filter (
    id             uuid PRIMARY KEY,
    owner          text        NOT NULL,
    name           text        NOT NULL,
    query          jsonb       NOT NULL,
    shared_with    text,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    version        bigint      NOT NULL,
    UNIQUE (owner, name)
);
CREATE INDEX saved_filter_shared ON saved_filter (shared_with) WHERE shared_with IS NOT NULL;
