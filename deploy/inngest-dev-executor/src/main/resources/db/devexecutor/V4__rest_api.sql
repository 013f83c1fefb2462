-- The REST API finds a run by the internal id of the event that started it (a re-run answers to its original's).
alter table run add column event_internal_id text;
create index run_by_event_internal_id on run (event_internal_id);

-- A function as synced (the REST API answers its config) and since when it exists.
alter table function_def add column config jsonb not null default '{}';
alter table function_def add column created_at timestamptz not null default now();

-- Steps an SDK reported while its call went on (checkpointing) rather than in its answer.
alter table run_step add column checkpointed boolean not null default false;
