-- Parallel steps are called concurrently and each is retried on its own (each is its own queue item on Inngest):
-- the planned steps beside the current one, by hashed id, with the attempt each is at and when it is due.
alter table run add column planned_items jsonb not null default '{}';
