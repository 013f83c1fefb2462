-- Schedules: workflows started on a cron.
create table schedule (
    id               uuid        primary key,
    cron             text        not null,
    time_zone        text        not null,
    workflow         text        not null,
    workflow_version text,
    parameters       json        not null,
    status           text        not null check (status in ('active', 'inactive')),
    misfire          text        not null check (misfire in ('fire-once', 'skip')),
    overlap          text        not null check (overlap in ('allow', 'skip')),
    description      text,
    revision         integer     not null,
    last_slot        timestamptz,
    created_at       timestamptz not null,
    updated_at       timestamptz not null
);

-- One row per schedule and slot: the primary key is what makes a slot fire once, however many instances run.
create table schedule_firing (
    schedule_id uuid        not null references schedule (id) on delete cascade,
    slot        timestamptz not null,
    command_id  uuid        not null,
    fired_at    timestamptz not null,
    primary key (schedule_id, slot)
);
