-- Extra record headers for a message (for example the reason of a dead-lettered event), as a JSON object.
alter table outbox add column headers jsonb;
