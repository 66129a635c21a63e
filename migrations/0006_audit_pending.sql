-- 0006_audit_pending.sql: audit events are recorded first and linked into
-- the hash chain right after by the agents' linker (agent/db/audit_link.c);
-- this index finds the events still waiting, oldest first.
CREATE INDEX audit_events_pending ON audit_events (id) WHERE seq IS NULL;
