-- Establishes the task-service schema (Flyway creates it and its history table); features add their tables in V2 onwards.
comment on schema task is 'task-service: Task types, tasks, assignments and their audit trail; the task inbox and resolution API.';
