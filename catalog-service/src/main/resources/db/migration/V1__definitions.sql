-- Every definition version the catalog holds: steps, workflows and event types share one table; the document is the
-- definition as written (JSON), the other columns are what the catalog queries and enforces.
create table definition (
    id           uuid        primary key,
    kind         text        not null check (kind in ('step', 'workflow', 'event-type')),
    name         text        not null,
    version      text        not null,
    status       text        not null check (status in ('DRAFT', 'PUBLISHED', 'DEPRECATED')),
    document     jsonb       not null,
    created_at   timestamptz not null,
    updated_at   timestamptz not null,
    published_at timestamptz,
    unique (kind, name, version)
);

create index definition_by_name on definition (kind, name);
