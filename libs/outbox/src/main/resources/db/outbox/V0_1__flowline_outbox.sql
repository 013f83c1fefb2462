-- The transactional outbox (libs/outbox). Lives in the schema of the service that includes
-- db/outbox in quarkus.flyway.locations; versioned below every service migration (V1 and up).
create table outbox (
    seq          bigint generated always as identity primary key,
    message_id   uuid        not null unique,
    topic        text        not null,
    message_key  text        not null,
    message_type text        not null,
    payload      text        not null,
    created_at   timestamptz not null default now(),
    sent_at      timestamptz,
    attempts     integer     not null default 0,
    last_error   text
);

-- The relay only ever looks for unsent rows, oldest first.
create index outbox_pending on outbox (seq) where sent_at is null;
