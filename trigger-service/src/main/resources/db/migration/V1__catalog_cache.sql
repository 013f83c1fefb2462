-- The local copy of the catalog's published definitions, fed by the compacted catalog-changes topic.
create table catalog_cache (
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
