-- Named data sources of lookups and tables: their document (kind, URL template or items) is read on the server only.
CREATE TABLE data_source (
    name       text        PRIMARY KEY,
    document   jsonb       NOT NULL,
    created_at timestamptz NOT NULL,
    created_by text        NOT NULL,
    updated_at timestamptz NOT NULL
);
