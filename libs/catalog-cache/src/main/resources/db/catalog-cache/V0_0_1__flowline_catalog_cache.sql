-- The local copy of the catalog's definitions, fed by the compacted catalog-changes topic (libs/catalog-cache).
-- "if not exists": trigger-service created this table as its own V1 before the cache became a library.
create table if not exists catalog_cache (
    kind        text        not null,
    name        text        not null,
    version     text        not null,
    status      text        not null,
    definition  jsonb       not null,
    message_id  uuid        not null,
    changed_at  timestamptz not null,
    received_at timestamptz not null,
    primary key (kind, name, version)
);
