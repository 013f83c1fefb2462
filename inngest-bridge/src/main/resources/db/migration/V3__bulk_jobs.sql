-- Bulk re-runs and resumes ("replay everything that failed during the Xero outage"): one job per request, one result
-- per run it matched. A job left running by a restart is taken up again; runs with a result are not started twice.
create table bulk_job (
    job_id uuid primary key,
    operation text not null,
    filter jsonb not null,
    parameters jsonb,
    requested_by text not null,
    status text not null,
    matched int,
    created_at timestamptz not null,
    finished_at timestamptz
);
create index bulk_job_unfinished on bulk_job (created_at) where finished_at is null;

create table bulk_job_run (
    job_id uuid not null references bulk_job (job_id),
    run_id text not null,
    outcome text not null,
    command_id uuid,
    new_run_id text,
    detail text,
    at timestamptz not null,
    primary key (job_id, run_id)
);
