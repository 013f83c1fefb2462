-- Establishes the ui-config-service schema (Flyway creates it and its history table); features add their tables in V2 onwards.
comment on schema uiconfig is 'ui-config-service: UI configurations and data sources; resolved task views, server-side validation, data-source queries.';
