-- The last run update applied to a command, so a redelivered update (same message id) is recognised and dropped.
alter table command add column run_message_id uuid;
