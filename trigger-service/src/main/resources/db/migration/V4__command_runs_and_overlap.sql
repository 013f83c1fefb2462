-- The run a command started, as reported by inngest-bridge on workflow-lifecycle.
alter table command add column run_status text;
alter table command add column run_updated_at timestamptz;
alter table command add column run_detail text;

-- A slot skipped by the overlap policy is recorded too, so every instance makes the same decision once.
alter table schedule_firing alter column command_id drop not null;
alter table schedule_firing add column outcome text not null default 'fired';
create index schedule_firing_latest on schedule_firing (schedule_id, slot desc) where outcome = 'fired';
