-- Inngest keeps every event under its own id (what the Event API answers); the sender's id only deduplicates run
-- starts, per function, for 24 hours, and a resent event still resolves waits.
alter table event rename column id to internal_id;
alter table event add column event_id text;
update event set event_id = internal_id;
create index event_by_event_id on event (event_id);

alter table run drop constraint run_function_id_event_id_key;
create index run_by_function_event on run (function_id, event_id, created_at);

-- The request version the SDK answered on the run's first call (-1: not yet known, the SDK decides), sent back on
-- every later call as the server does.
alter table run add column request_version int not null default -1;

-- Each claim leases the run under a fresh id; only the holder of the current lease applies a call's outcome.
alter table run add column lease_id uuid;

-- Flow control: a function's concurrency limits ([{limit, key?, scope?}], at most two), and each run's key value per
-- limit (computed from its event when it starts). A limit counts runs being called (leased), not sleeping or waiting.
alter table function_def add column concurrency jsonb not null default '[]';
alter table run add column concurrency_keys jsonb not null default '[]';

-- More flow control: a function's idempotency expression (runs deduplicated by its value for 24 hours instead of by
-- event id), its cancelOn entries ([{event, if?, timeout?}]) and timeouts ({start?, finish?}).
alter table function_def add column idempotency text;
alter table function_def add column cancel_on jsonb not null default '[]';
alter table function_def add column timeouts jsonb not null default '{}';
alter table run add column idempotency_key text;
alter table run add column started_at timestamptz;
create index run_by_idempotency on run (function_id, idempotency_key, created_at);

-- A run's cancellation conditions, registered when it starts and matched against every event like a wait.
create table cancellation (
    run_id     text not null references run (run_id) on delete cascade,
    seq        int not null,
    event_name text not null,
    expression text,
    expires_at timestamptz not null,
    primary key (run_id, seq)
);
create index cancellation_by_event on cancellation (event_name);

-- Re-run from a step: each step's recorded input, and where a run came from.
alter table run_step add column input jsonb;
alter table run add column rerun_of text;
alter table run add column rerun_from text;

-- A wait is for an event, or for the end of an invoked run (step.invoke): its memo is then the run's result.
alter table wait add column kind text not null default 'event';
