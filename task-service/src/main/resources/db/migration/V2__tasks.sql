-- Human tasks, one per awaiting step attempt (correlation key), with candidates, an audit trail and comments.
CREATE TABLE task (
    id               uuid PRIMARY KEY,
    correlation_key  text        NOT NULL UNIQUE,
    run_id           text        NOT NULL,
    workflow         text        NOT NULL,
    workflow_version text        NOT NULL,
    step_id          text        NOT NULL,
    step             text        NOT NULL,
    execution        integer     NOT NULL,
    attempt          integer     NOT NULL,
    error_code       text        NOT NULL,
    error_message    text,
    error_data       jsonb,
    step_input       jsonb,
    task_type        text        NOT NULL,
    title            text        NOT NULL,
    status           text        NOT NULL,
    assignee         text,
    priority         integer     NOT NULL,
    due_at           timestamptz NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    resolution       jsonb,
    resolved_by      text,
    resolved_at      timestamptz,
    version          bigint      NOT NULL
);

-- The inbox's usual page: open work of one error code by due date; counts by status and code.
CREATE INDEX task_status_code_due ON task (status, error_code, due_at, id);
CREATE INDEX task_status_due ON task (status, due_at, id);
CREATE INDEX task_assignee ON task (assignee, status) WHERE assignee IS NOT NULL;
CREATE INDEX task_run ON task (run_id);

CREATE TABLE task_candidate (
    task_id uuid NOT NULL REFERENCES task (id),
    role    text NOT NULL,
    PRIMARY KEY (task_id, role)
);
CREATE INDEX task_candidate_role ON task_candidate (role, task_id);

-- Append-only: every transition and edit, who, when, from, to, what it carried.
CREATE TABLE task_audit (
    id          bigserial PRIMARY KEY,
    task_id     uuid        NOT NULL REFERENCES task (id),
    at          timestamptz NOT NULL,
    actor       text        NOT NULL,
    action      text        NOT NULL,
    from_status text,
    to_status   text        NOT NULL,
    detail      jsonb
);
CREATE INDEX task_audit_task ON task_audit (task_id, id);

CREATE TABLE task_comment (
    id      uuid PRIMARY KEY,
    task_id uuid        NOT NULL REFERENCES task (id),
    at      timestamptz NOT NULL,
    author  text        NOT NULL,
    body    text        NOT NULL
);
CREATE INDEX task_comment_task ON task_comment (task_id, at);
