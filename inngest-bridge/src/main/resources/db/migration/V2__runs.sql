-- The runs projection, fed by the bridge's own lifecycle records (workflow-run-event/v1), and the task resolutions
-- waiting for their runs.

-- Every lifecycle record applied, once: replays of a run write the same ids, which are dropped here.
create table run_event (
    message_id uuid primary key,
    run_id text not null,
    kind text not null,
    at timestamptz not null,
    record jsonb not null
);
create index run_event_run on run_event (run_id, at);

create table run (
    run_id text primary key,
    workflow text not null,
    workflow_version text not null,
    status text not null,
    command_id uuid,
    trigger_id uuid,
    input jsonb,
    output jsonb,
    error jsonb,
    origin_kind text,
    origin_run_id text,
    origin_step text,
    -- The correlation key of the task the run waits for; null when it waits for none.
    waiting_for text,
    started_at timestamptz not null,
    ended_at timestamptz,
    updated_at timestamptz not null
);
create index run_by_workflow on run (workflow, started_at desc, run_id);
create index run_by_status on run (status, started_at desc, run_id);
create index run_by_started on run (started_at desc, run_id);
create index run_by_command on run (command_id);

create table step_attempt (
    run_id text not null references run (run_id),
    step_id text not null,
    execution int not null,
    attempt int not null,
    status text not null,
    input jsonb,
    output jsonb,
    error jsonb,
    error_code text,
    task_key text,
    resolution text,
    started_at timestamptz not null,
    ended_at timestamptz,
    primary key (run_id, step_id, execution, attempt)
);
create index step_attempt_error on step_attempt (error_code) where error_code is not null;

-- A task resolution, kept until its run took it: a resolution that arrives before the run's wait is registered is
-- found by the run's check and re-sent to Inngest until the run says it has it.
create table task_resolution (
    correlation_key text primary key,
    run_id text not null,
    message_id uuid not null,
    record jsonb not null,
    received_at timestamptz not null,
    sent_at timestamptz,
    send_count int not null default 0,
    taken_at timestamptz
);
create index task_resolution_open on task_resolution (received_at) where taken_at is null;
