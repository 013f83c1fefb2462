-- Candidates live on the task: the inbox filters and counts by them without a join (the counts of "my roles" joined
-- every pending task with its candidate rows: 126 ms p99 at 100,000 tasks). Users may be candidates too.
ALTER TABLE task ADD COLUMN candidate_roles text[] NOT NULL DEFAULT '{}';
ALTER TABLE task ADD COLUMN candidate_users text[] NOT NULL DEFAULT '{}';
UPDATE task t SET candidate_roles = c.roles
FROM (SELECT task_id, array_agg(role ORDER BY role) AS roles FROM task_candidate GROUP BY task_id) c
WHERE c.task_id = t.id;
DROP TABLE task_candidate;

-- The description template's text; escalation: how many of the type's rules have run, and when the next one is due.
ALTER TABLE task ADD COLUMN description text;
ALTER TABLE task ADD COLUMN escalations_done integer NOT NULL DEFAULT 0;
ALTER TABLE task ADD COLUMN next_escalation_at timestamptz;

CREATE INDEX task_escalation_due ON task (next_escalation_at) WHERE next_escalation_at IS NOT NULL;

-- Badge counts kept by the database itself: one row per (status, error code, candidate roles, candidate users), moved
-- by a trigger in the transaction of every insert, delete and change of those columns, so no code path can miss it.
-- The inbox counts read this small table when they filter by nothing else (status, error code, candidate of mine);
-- counting the pending tasks themselves was 56 ms p99 for all and 114 ms p99 for "mine" at 100,000 tasks.
CREATE TABLE task_count (
    status          text   NOT NULL,
    error_code      text   NOT NULL,
    candidate_roles text[] NOT NULL,
    candidate_users text[] NOT NULL,
    count           bigint NOT NULL,
    PRIMARY KEY (status, error_code, candidate_roles, candidate_users)
);

-- The functions name their schema (Flyway's placeholder): the connections of the service do not put it on their
-- search_path, Hibernate qualifies its own statements instead.
CREATE FUNCTION task_count_move(p_status text, p_code text, p_roles text[], p_users text[], p_delta integer)
    RETURNS void LANGUAGE sql SET search_path = ${flyway:defaultSchema} AS $$
    INSERT INTO task_count AS c VALUES (p_status, p_code, p_roles, p_users, p_delta)
    ON CONFLICT (status, error_code, candidate_roles, candidate_users) DO UPDATE SET count = c.count + p_delta
$$;

CREATE FUNCTION task_count_change() RETURNS trigger LANGUAGE plpgsql SET search_path = ${flyway:defaultSchema} AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM task_count_move(NEW.status, NEW.error_code, NEW.candidate_roles, NEW.candidate_users, 1);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM task_count_move(OLD.status, OLD.error_code, OLD.candidate_roles, OLD.candidate_users, -1);
    -- Two rows move in one change; always in the same order (the smaller key first), so two changes moving the
    -- same pair in opposite directions (a claim and a release) wait for each other instead of deadlocking.
    ELSIF (OLD.status, OLD.error_code, OLD.candidate_roles, OLD.candidate_users)
          < (NEW.status, NEW.error_code, NEW.candidate_roles, NEW.candidate_users) THEN
        PERFORM task_count_move(OLD.status, OLD.error_code, OLD.candidate_roles, OLD.candidate_users, -1);
        PERFORM task_count_move(NEW.status, NEW.error_code, NEW.candidate_roles, NEW.candidate_users, 1);
    ELSE
        PERFORM task_count_move(NEW.status, NEW.error_code, NEW.candidate_roles, NEW.candidate_users, 1);
        PERFORM task_count_move(OLD.status, OLD.error_code, OLD.candidate_roles, OLD.candidate_users, -1);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER task_count_rows AFTER INSERT OR DELETE ON task
    FOR EACH ROW EXECUTE FUNCTION task_count_change();
CREATE TRIGGER task_count_changes AFTER UPDATE ON task
    FOR EACH ROW WHEN ((OLD.status, OLD.error_code, OLD.candidate_roles, OLD.candidate_users)
                       IS DISTINCT FROM (NEW.status, NEW.error_code, NEW.candidate_roles, NEW.candidate_users))
    EXECUTE FUNCTION task_count_change();

INSERT INTO task_count
SELECT status, error_code, candidate_roles, candidate_users, count(*) FROM task
GROUP BY status, error_code, candidate_roles, candidate_users;
