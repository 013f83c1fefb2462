-- Apps and functions as the last sync described them.
create table app (
    app_id     text primary key,
    url        text not null,
    sdk        text,
    synced_at  timestamptz not null
);

create table function_def (
    id           text primary key,
    app_id       text not null references app (app_id) on delete cascade,
    name         text not null,
    triggers     jsonb not null,
    url          text not null,
    max_attempts int not null
);

-- Every event received; the id makes a resend a no-op.
create table event (
    seq         bigserial primary key,
    id          text not null unique,
    name        text not null,
    payload     jsonb not null,
    received_at timestamptz not null
);

-- A run is also its own queue item: due at next_at, calling step_id (null: discover the next step).
create table run (
    run_id            text primary key,
    function_id       text not null,
    event_id          text not null,
    event             jsonb not null,
    status            text not null,
    attempt           int not null default 0,
    step_id           text,
    planned           jsonb not null default '[]',
    disable_immediate boolean not null default false,
    next_at           timestamptz,
    locked_until      timestamptz,
    output            jsonb,
    error             jsonb,
    created_at        timestamptz not null,
    updated_at        timestamptz not null,
    ended_at          timestamptz,
    unique (function_id, event_id)
);
create index run_due on run (next_at) where status in ('queued', 'running');

-- Memoized steps, in completion order; a sleep's memo becomes visible when it ends.
create table run_step (
    run_id       text not null references run (run_id) on delete cascade,
    hashed_id    text not null,
    seq          bigserial,
    op           text not null,
    name         text,
    display_name text,
    memo         jsonb not null,
    visible_at   timestamptz not null,
    primary key (run_id, hashed_id)
);

create table wait (
    run_id     text not null references run (run_id) on delete cascade,
    hashed_id  text not null,
    event_name text not null,
    expression text,
    expires_at timestamptz not null,
    primary key (run_id, hashed_id)
);
create index wait_by_event on wait (event_name);
