-- Establishes the inngest-bridge schema (Flyway creates it and its history table); features add their tables in V2 onwards.
comment on schema bridge is 'inngest-bridge: The Inngest SDK protocol, the workflow runner and the runs projection; the runs API.';
