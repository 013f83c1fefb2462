-- Triggers: database-configured reactions to events.
create table trigger_definition (
    id                  uuid        primary key,
    event_type          text        not null,
    event_version_range text,
    workflow            text        not null,
    workflow_version    text,
    -- json, not jsonb: the text is kept as written, so conditions are evaluated (and reported) in written order
    conditions          json        not null,
    parameters          json        not null,
    status              text        not null check (status in ('active', 'inactive', 'deprecated')),
    description         text,
    revision            integer     not null,
    created_at          timestamptz not null,
    updated_at          timestamptz not null
);
create index trigger_by_event_type on trigger_definition (event_type) where status = 'active';

-- Every event received, once (its id is the key: a redelivery is recognised and ignored), with what it caused.
create table event_record (
    event_id     text        primary key,
    event_type   text,
    source       text,
    received_at  timestamptz not null,
    outcome      text        not null check (outcome in ('evaluated', 'rejected')),
    reason       text,
    evaluation   jsonb       not null
);
create index event_record_received on event_record (received_at);

-- Commands: requests to start a workflow, from the API, triggers or schedules.
create table command (
    id               uuid        primary key,
    workflow         text        not null,
    workflow_version text,
    parameters       jsonb       not null,
    source_type      text        not null,
    requested_by     text,
    trigger_id       uuid,
    event_id         text,
    schedule_id      uuid,
    slot             timestamptz,
    idempotency_key  text        unique,
    run_id           text,
    created_at       timestamptz not null
);
