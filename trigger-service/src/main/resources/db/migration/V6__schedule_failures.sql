-- A schedule whose firing fails says so: the last failure and when, shown by its API.
alter table schedule add column last_failure text;
alter table schedule add column last_failure_at timestamptz;
