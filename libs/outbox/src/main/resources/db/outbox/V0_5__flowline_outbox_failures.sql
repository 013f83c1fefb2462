-- A message that cannot be published is retried with backoff (next_attempt_at) while the others keep flowing, and
-- parked after too many failures, or at once when no attempt can succeed (parked_at; last_error says why).
alter table outbox add column next_attempt_at timestamptz;
alter table outbox add column parked_at timestamptz;
drop index if exists outbox_pending;
create index outbox_pending on outbox (seq) where sent_at is null and parked_at is null;
