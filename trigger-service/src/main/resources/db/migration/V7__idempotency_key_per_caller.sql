-- An Idempotency-Key is the caller's own: two callers may use the same key for different requests.
alter table command drop constraint if exists command_idempotency_key_key;
create unique index command_caller_idempotency_key on command (requested_by, idempotency_key)
    where idempotency_key is not null;
